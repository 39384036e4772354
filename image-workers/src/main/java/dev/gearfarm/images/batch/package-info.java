/**
 * Batches of thumbnail jobs, shared by the {@code thumbnail} command-line client and the server-side
 * {@code thumbnail_batch} function: which inputs a folder or S3 prefix holds ({@link InputFilter},
 * {@link Store}), the stable names their outputs get ({@link OutputNames}), the split of a {@link
 * BatchManifest} into leaf {@code thumbnail} jobs ({@link BatchPlanner}), running them with a bounded
 * number in flight ({@link LeafRunner}) and adding up what came back ({@link BatchTally}, {@link
 * BatchSummary}).
 *
 * <p>The {@code thumbnail_batch} function is the "intermediate worker" of Gearman's Map/Reduce: it
 * splits a manifest into leaf jobs it submits itself, reports {@code WORK_STATUS} done/total to its
 * client, and returns one summary ({@link ThumbnailBatchHandler}, served by {@link BatchService}).
 */
package dev.gearfarm.images.batch;
