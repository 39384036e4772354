package dev.gearfarm.gearman.admin;

/**
 * One line of {@code prioritystatus}: a function's queued (not running) jobs by priority.
 *
 * @param name             the function name
 * @param high             queued high-priority jobs
 * @param normal           queued normal-priority jobs
 * @param low              queued low-priority jobs
 * @param availableWorkers connected workers that registered the function
 */
public record PriorityStatus(String name, int high, int normal, int low, int availableWorkers) {

    /** Parses {@code FUNCTION\tHIGH\tNORMAL\tLOW\tAVAILABLE_WORKERS}. */
    static PriorityStatus parse(ReplyLine line) {
        String[] f = line.tabFields("FUNCTION", "HIGH", "NORMAL", "LOW", "AVAILABLE_WORKERS");
        return new PriorityStatus(f[0], line.count("HIGH", f[1]), line.count("NORMAL", f[2]),
                line.count("LOW", f[3]), line.count("AVAILABLE_WORKERS", f[4]));
    }
}
