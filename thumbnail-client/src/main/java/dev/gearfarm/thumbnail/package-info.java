/**
 * The {@code thumbnail} command-line tool: {@code submit} images to the farm, ask the {@code status} of a
 * background job, and {@code batch} a folder or S3 prefix with progress, a JSON-lines report and resume;
 * {@code --server-side} hands a whole batch to the {@code thumbnail_batch} function, {@code --embedded}
 * runs a job server and image workers inside this process. See the module README.
 */
package dev.gearfarm.thumbnail;
