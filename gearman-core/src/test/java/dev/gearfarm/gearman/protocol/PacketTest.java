package dev.gearfarm.gearman.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacketTest {

    @Test
    void rejectsTooFewArguments() {
        assertThatThrownBy(() -> Packet.request(PacketType.SUBMIT_JOB, "reverse", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("SUBMIT_JOB takes 3 arguments, got 2");
    }

    @Test
    void rejectsTooManyArguments() {
        assertThatThrownBy(() -> Packet.response(PacketType.JOB_CREATED, "H:lap:1", "extra"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("JOB_CREATED takes 1 arguments, got 2");
    }

    @Test
    void rejectsArgumentsOnZeroArgumentType() {
        assertThatThrownBy(() -> Packet.request(PacketType.GRAB_JOB, ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GRAB_JOB takes 0 arguments");
    }

    @Test
    void rejectsMissingParts() {
        assertThatThrownBy(() -> new Packet(null, PacketType.NOOP, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Packet(Magic.RES, null, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Packet(Magic.RES, PacketType.NOOP, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsArgumentThatIsNeitherBytesNorText() {
        assertThatThrownBy(() -> Packet.request(PacketType.CAN_DO, 42))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("argument 0");
    }

    @Test
    void doesNotFollowChangesToTheCallersArgumentList() {
        List<byte[]> args = new ArrayList<>(List.of(Packet.latin1("reverse")));
        Packet packet = new Packet(Magic.REQ, PacketType.CAN_DO, args);

        args.set(0, Packet.latin1("other"));

        assertThat(packet.argString(0)).isEqualTo("reverse");
        assertThatThrownBy(() -> packet.args().add(new byte[0])).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void equalPacketsHaveEqualArgumentBytes() {
        Packet packet = Packet.request(PacketType.WORK_COMPLETE, "H:lap:1", new byte[] {'t', 0, 't'});
        Packet same = Packet.request(PacketType.WORK_COMPLETE, Packet.latin1("H:lap:1"), new byte[] {'t', 0, 't'});

        assertThat(packet).isEqualTo(same);
        assertThat(packet.hashCode()).isEqualTo(same.hashCode());
        assertThat(packet).isNotEqualTo(Packet.request(PacketType.WORK_COMPLETE, "H:lap:1", new byte[] {'t', 0, 'x'}));
        assertThat(packet).isNotEqualTo(Packet.response(PacketType.WORK_COMPLETE, "H:lap:1", new byte[] {'t', 0, 't'}));
        assertThat(packet).isNotEqualTo(Packet.request(PacketType.WORK_DATA, "H:lap:1", new byte[] {'t', 0, 't'}));
        assertThat(packet).isNotEqualTo("H:lap:1");
    }

    @Test
    void argStringIsLosslessForEveryByte() {
        byte[] everyByte = new byte[256];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }

        Packet packet = Packet.request(PacketType.ECHO_REQ, everyByte);

        assertThat(Packet.latin1(packet.argString(0))).isEqualTo(everyByte);
    }

    @Test
    void bodyLengthCountsArgumentsAndSeparators() {
        assertThat(Packet.request(PacketType.SUBMIT_JOB, "reverse", "", "test").bodyLength()).isEqualTo(13);
        assertThat(Packet.request(PacketType.SUBMIT_JOB, "", "", "").bodyLength()).isEqualTo(2);
        assertThat(Packet.request(PacketType.ECHO_REQ, "").bodyLength()).isZero();
        assertThat(Packet.response(PacketType.NOOP).bodyLength()).isZero();
    }

    @Test
    void toStringEscapesNonPrintableBytes() {
        Packet packet = Packet.request(PacketType.WORK_COMPLETE, "H:lap:1",
                new byte[] {'a', 0, '"', '\\', (byte) 0xff, '\n', '~'});

        assertThat(packet).hasToString("REQ WORK_COMPLETE \"H:lap:1\" \"a\\x00\\x22\\x5c\\xff\\x0a~\"");
    }

    @Test
    void toStringTruncatesLongArguments() {
        Packet packet = Packet.request(PacketType.CAN_DO_TIMEOUT, "f".repeat(64), "d".repeat(65));

        assertThat(packet).hasToString(
                "REQ CAN_DO_TIMEOUT \"" + "f".repeat(64) + "\" \"" + "d".repeat(64) + "...(65 bytes)\"");
    }

    @Test
    void toStringOfZeroArgumentPacketIsMagicAndType() {
        assertThat(Packet.response(PacketType.NOOP)).hasToString("RES NOOP");
    }
}
