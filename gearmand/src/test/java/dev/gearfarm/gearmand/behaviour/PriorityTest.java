package dev.gearfarm.gearmand.behaviour;

import static dev.gearfarm.gearman.protocol.PacketType.GRAB_JOB;
import static dev.gearfarm.gearman.protocol.PacketType.GRAB_JOB_UNIQ;
import static dev.gearfarm.gearman.protocol.PacketType.JOB_ASSIGN;
import static dev.gearfarm.gearman.protocol.PacketType.JOB_ASSIGN_UNIQ;
import static dev.gearfarm.gearman.protocol.PacketType.NO_JOB;
import static dev.gearfarm.gearman.protocol.PacketType.SUBMIT_JOB;
import static dev.gearfarm.gearman.protocol.PacketType.SUBMIT_JOB_BG;
import static dev.gearfarm.gearman.protocol.PacketType.SUBMIT_JOB_HIGH;
import static dev.gearfarm.gearman.protocol.PacketType.SUBMIT_JOB_HIGH_BG;
import static dev.gearfarm.gearman.protocol.PacketType.SUBMIT_JOB_LOW;
import static dev.gearfarm.gearman.protocol.PacketType.SUBMIT_JOB_LOW_BG;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gearfarm.gearman.protocol.PacketType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order in which queued jobs are handed out: by priority, then by age, across a worker's functions. */
class PriorityTest extends ServerTestSupport {

    @Test
    void highThenNormalThenLowWithinAFunction() {
        WireClient client = connect();
        client.submit(SUBMIT_JOB_LOW, "fn", "", "p-low");
        client.submit(SUBMIT_JOB, "fn", "", "p-norm");
        client.submit(SUBMIT_JOB_HIGH, "fn", "", "p-high");

        assertThat(grabAll(worker("fn"))).containsExactly("fn:p-high", "fn:p-norm", "fn:p-low");
    }

    @Test
    void backgroundJobsHaveTheSameThreePriorities() {
        WireClient client = connect();
        client.submit(SUBMIT_JOB_LOW_BG, "fn", "", "p-low");
        client.submit(SUBMIT_JOB_BG, "fn", "", "p-norm");
        client.submit(SUBMIT_JOB_HIGH_BG, "fn", "", "p-high");
        assertThat(client.adminList("prioritystatus")).isEqualTo("fn\t1\t1\t1\t0\n.\n");

        assertThat(grabAll(worker("fn"))).containsExactly("fn:p-high", "fn:p-norm", "fn:p-low");
    }

    @Test
    void eachPriorityIsFirstInFirstOut() {
        WireClient client = connect();
        for (String data : new String[] {"n1", "h1", "l1", "n2", "h2", "l2"}) {
            PacketType type = switch (data.charAt(0)) {
                case 'h' -> SUBMIT_JOB_HIGH_BG;
                case 'l' -> SUBMIT_JOB_LOW_BG;
                default -> SUBMIT_JOB_BG;
            };
            client.submit(type, "fn", "", data);
        }

        assertThat(grabAll(worker("fn"))).containsExactly("fn:h1", "fn:h2", "fn:n1", "fn:n2", "fn:l1", "fn:l2");
    }

    @Test
    void highJobOfAnyFunctionBeatsLowJobOfTheFirstRegistered() {
        WireClient client = connect();
        client.submit(SUBMIT_JOB_LOW_BG, "first", "", "low");
        client.submit(SUBMIT_JOB_BG, "first", "", "normal");
        client.submit(SUBMIT_JOB_HIGH_BG, "second", "", "high");

        assertThat(grabAll(worker("first", "second"))).containsExactly("second:high", "first:normal", "first:low");
    }

    @Test
    void samePriorityAcrossFunctionsGoesOldestFirst() {
        WireClient client = connect();
        client.submit(SUBMIT_JOB_BG, "b", "", "1");
        client.submit(SUBMIT_JOB_BG, "a", "", "2");
        client.submit(SUBMIT_JOB_BG, "b", "", "3");
        client.submit(SUBMIT_JOB_BG, "c", "", "4");
        client.submit(SUBMIT_JOB_BG, "a", "", "5");

        assertThat(grabAll(worker("a", "b", "c"))).containsExactly("b:1", "a:2", "b:3", "c:4", "a:5");
    }

    @Test
    void priorityOrderHoldsForEveryGrabKind() {
        WireClient client = connect();
        client.submit(SUBMIT_JOB_LOW_BG, "fn", "u-low", "low");
        client.submit(SUBMIT_JOB_HIGH_BG, "fn", "u-high", "high");
        WireClient worker = worker("fn");

        worker.send(GRAB_JOB_UNIQ);
        assertThat(worker.expect(JOB_ASSIGN_UNIQ).argString(2)).isEqualTo("u-high");
        worker.send(GRAB_JOB_UNIQ);
        assertThat(worker.expect(JOB_ASSIGN_UNIQ).argString(2)).isEqualTo("u-low");
    }

    /** Grabs until NO_JOB; returns each job as {@code function:data}. */
    private static List<String> grabAll(WireClient worker) {
        List<String> order = new ArrayList<>();
        while (true) {
            worker.send(GRAB_JOB);
            var packet = worker.read();
            if (packet.type() == NO_JOB) {
                return order;
            }
            assertThat(packet.type()).isEqualTo(JOB_ASSIGN);
            order.add(packet.argString(1) + ":" + packet.argString(2));
        }
    }
}
