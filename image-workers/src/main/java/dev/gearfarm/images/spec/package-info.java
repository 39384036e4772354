/**
 * The job contract: the JSON a client sends to the {@code thumbnail} function, the JSON it gets back,
 * and the framing that carries image bytes beside the JSON. Documented in the module README.
 */
package dev.gearfarm.images.spec;
