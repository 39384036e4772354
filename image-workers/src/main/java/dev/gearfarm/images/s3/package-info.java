/**
 * What the S3 source and the S3 sink share: settings (endpoint, region, credentials, path style) and
 * one {@link dev.gearfarm.images.s3.S3Storage} client per worker process whose errors are already
 * mapped to {@link dev.gearfarm.images.ImageJobException} reasons.
 */
package dev.gearfarm.images.s3;
