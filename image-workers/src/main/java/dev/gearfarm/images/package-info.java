/**
 * The image farm's work: {@code spec} (the job contract), {@code source} (where bytes come from),
 * {@code codec} (decode and encode), {@code ops} (pixel operations), {@code sink} (where results go)
 * and {@code worker} (the Gearman functions and the worker process).
 */
package dev.gearfarm.images;
