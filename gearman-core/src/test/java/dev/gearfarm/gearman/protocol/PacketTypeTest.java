package dev.gearfarm.gearman.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class PacketTypeTest {

    @Test
    void codesAreUniqueAndCoverOneToFortyTwoExceptFive() {
        int[] codes = Arrays.stream(PacketType.values()).mapToInt(PacketType::code).sorted().toArray();

        assertThat(codes).containsExactly(IntStream.rangeClosed(1, 42).filter(code -> code != 5).toArray());
        assertThat(PacketType.MAX_CODE).isEqualTo(42);
    }

    @ParameterizedTest
    @EnumSource(PacketType.class)
    void fromCodeReturnsTheTypeOwningTheCode(PacketType type) {
        assertThat(PacketType.fromCode(type.code())).isSameAs(type);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 5, 43, 99, -1, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void fromCodeReturnsNullForUnknownCode(int code) {
        assertThat(PacketType.fromCode(code)).isNull();
    }

    @ParameterizedTest
    @EnumSource(PacketType.class)
    void everyTypeTravelsInAtLeastOneDirection(PacketType type) {
        assertThat(type.isRequest() || type.isResponse()).isTrue();
    }

    @Test
    void noopAndJobCreatedAreResponsesOnly() {
        assertThat(PacketType.NOOP.isResponse()).isTrue();
        assertThat(PacketType.NOOP.isRequest()).isFalse();
        assertThat(PacketType.JOB_CREATED.isResponse()).isTrue();
        assertThat(PacketType.JOB_CREATED.isRequest()).isFalse();
    }

    @Test
    void workResultsTravelBothWays() {
        for (PacketType type : new PacketType[] {PacketType.WORK_COMPLETE, PacketType.WORK_STATUS,
                PacketType.WORK_FAIL, PacketType.WORK_EXCEPTION, PacketType.WORK_DATA, PacketType.WORK_WARNING}) {
            assertThat(type.isRequest()).as("%s request", type).isTrue();
            assertThat(type.isResponse()).as("%s response", type).isTrue();
        }
    }

    @Test
    void submissionsAreRequestsOnly() {
        assertThat(PacketType.SUBMIT_JOB.isRequest()).isTrue();
        assertThat(PacketType.SUBMIT_JOB.isResponse()).isFalse();
        assertThat(PacketType.SUBMIT_JOB_EPOCH.isRequest()).isTrue();
        assertThat(PacketType.SUBMIT_JOB_EPOCH.isResponse()).isFalse();
    }

    @Test
    void argumentCountsFollowTheServerCommandTable() {
        assertThat(PacketType.SUBMIT_JOB.argCount()).isEqualTo(3);
        assertThat(PacketType.SUBMIT_JOB_SCHED.argCount()).isEqualTo(8);
        assertThat(PacketType.SUBMIT_JOB_EPOCH.argCount()).isEqualTo(4);
        // The aggregator field that PROTOCOL omits (gearman-notes §1.2, 37).
        assertThat(PacketType.SUBMIT_REDUCE_JOB.argCount()).isEqualTo(5);
        assertThat(PacketType.SUBMIT_REDUCE_JOB_BACKGROUND.argCount()).isEqualTo(5);
        assertThat(PacketType.JOB_ASSIGN_ALL.argCount()).isEqualTo(5);
        assertThat(PacketType.STATUS_RES.argCount()).isEqualTo(5);
        assertThat(PacketType.STATUS_RES_UNIQUE.argCount()).isEqualTo(6);
        assertThat(PacketType.GRAB_JOB_ALL.argCount()).isZero();
    }

    @Test
    void magicCodesAreTheWireBytes() {
        assertThat(Magic.REQ.code()).isEqualTo(0x00524551);
        assertThat(Magic.RES.code()).isEqualTo(0x00524553);
        assertThat(Magic.fromCode(0x00524551)).isSameAs(Magic.REQ);
        assertThat(Magic.fromCode(0x00524553)).isSameAs(Magic.RES);
        assertThat(Magic.fromCode(0x00524558)).isNull();
    }
}
