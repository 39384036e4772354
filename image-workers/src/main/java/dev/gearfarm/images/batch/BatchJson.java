package dev.gearfarm.images.batch;

import dev.gearfarm.images.spec.JobJson;

/** Reads the batch manifest and summary with the job contract's strictness ({@link JobJson}). */
public final class BatchJson {
    private BatchJson() {}

    public static BatchManifest readManifest(byte[] json) {
        return JobJson.read(json, BatchManifest.class, "batch manifest");
    }

    public static BatchSummary readSummary(byte[] json) {
        return JobJson.read(json, BatchSummary.class, "batch summary");
    }
}
