package dev.gearfarm.thumbnail;

import dev.gearfarm.gearman.client.GearmanClient;
import dev.gearfarm.gearman.client.JobStatus;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code thumbnail status HANDLE}: how far a background job is. */
@Command(name = "status", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Shows how far a background job (from 'submit --background' or 'batch --server-side "
                + "--background') has got: queued, running with done/total, or unknown (finished, or never "
                + "existed: the server forgets a job when it ends)."},
        footer = {"", "Example:", "  thumbnail status H:gm1:42",
            "  H:gm1:42: running, 37/120 (30%)"})
final class StatusCommand implements Callable<Integer> {
    @Mixin
    FarmOptions farm;

    @Parameters(paramLabel = "HANDLE", arity = "1..*", description = "Job handles, as printed by --background.")
    java.util.List<String> handles;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (GearmanClient client = farm.connect(farm.servers)) {
            for (String handle : handles) {
                JobStatus status = client.status(handle).get(30, TimeUnit.SECONDS);
                spec.commandLine().getOut().println(describe(status));
            }
        }
        return ThumbnailCli.EXIT_OK;
    }

    static String describe(JobStatus status) {
        if (!status.known()) {
            return status.handle() + ": unknown (finished, or never existed)";
        }
        if (!status.running()) {
            return status.handle() + ": queued";
        }
        if (status.denominator() == 0) {
            return status.handle() + ": running";
        }
        return status.handle() + ": running, " + status.numerator() + "/" + status.denominator() + " ("
                + status.numerator() * 100 / status.denominator() + "%)";
    }
}
