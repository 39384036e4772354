/** Where encoded outputs go: a filesystem folder (atomic rename) or an S3 bucket. */
package dev.gearfarm.images.sink;
