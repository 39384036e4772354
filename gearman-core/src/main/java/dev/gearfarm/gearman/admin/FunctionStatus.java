package dev.gearfarm.gearman.admin;

/**
 * One line of {@code status}: a function the server knows, with its jobs and workers.
 *
 * @param name             the function name; C gearmand can list an empty one (see {@code create function})
 * @param total            jobs queued or running
 * @param running          jobs a worker is running
 * @param availableWorkers connected workers that registered the function
 */
public record FunctionStatus(String name, int total, int running, int availableWorkers) {

    /** Parses {@code FUNCTION\tTOTAL\tRUNNING\tAVAILABLE_WORKERS}. */
    static FunctionStatus parse(ReplyLine line) {
        String[] f = line.tabFields("FUNCTION", "TOTAL", "RUNNING", "AVAILABLE_WORKERS");
        return new FunctionStatus(f[0], line.count("TOTAL", f[1]), line.count("RUNNING", f[2]),
                line.count("AVAILABLE_WORKERS", f[3]));
    }
}
