package dev.gearfarm.gearman.admin;

/**
 * One line of {@code show jobs}.
 *
 * @param handle     the job handle, such as {@code H:host:12}
 * @param retries    how many times a worker took the job and lost it
 * @param ignored    abandoned or cancelled: C gearmand keeps a cancelled job listed until a worker grabs it
 * @param background kept in the persistent queue, which C gearmand does for background jobs only
 */
public record JobInfo(String handle, int retries, boolean ignored, boolean background) {

    /** Parses {@code HANDLE\tRETRIES\tIGNORE_JOB\tJOB_QUEUED}. */
    static JobInfo parse(ReplyLine line) {
        String[] f = line.tabFields("HANDLE", "RETRIES", "IGNORE_JOB", "JOB_QUEUED");
        if (f[0].isEmpty()) {
            throw line.malformed("HANDLE is empty");
        }
        return new JobInfo(f[0], line.count("RETRIES", f[1]), line.flag("IGNORE_JOB", f[2]),
                line.flag("JOB_QUEUED", f[3]));
    }
}
