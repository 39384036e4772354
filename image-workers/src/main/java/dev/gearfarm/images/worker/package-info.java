/** The Gearman functions ({@code thumbnail}) and the {@code image-worker} process that serves them. */
package dev.gearfarm.images.worker;
