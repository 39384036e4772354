package dev.gearfarm.images.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {
    private static final AddressPolicy DEFAULT = AddressPolicy.of(false, List.of());

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1|loopback",
        "127.255.255.254|loopback",
        "169.254.169.254|link-local (cloud metadata)",
        "10.1.2.3|private",
        "172.16.0.1|private",
        "172.31.255.255|private",
        "192.168.1.1|private",
        "100.64.0.1|carrier-grade NAT",
        "100.127.255.255|carrier-grade NAT",
        "0.0.0.0|unspecified",
        "224.0.0.251|multicast",
        "255.255.255.255|reserved or broadcast",
        "::1|loopback",
        "::|unspecified",
        "fe80::1|link-local",
        "fd12:3456::1|unique local",
        "fc00::1|unique local",
        "ff02::1|multicast",
        "::ffff:127.0.0.1|loopback",
        "::ffff:169.254.169.254|link-local",
        "2002:7f00:1::1|6to4 form of a loopback",
        "2002:a9fe:a9fe::|6to4 form of a link-local",
        "64:ff9b::a00:1|NAT64 form of a private"})
    void refusesNonPublicAddressesByDefault(String address, String kind) throws Exception {
        assertThat(DEFAULT.refusal("example.com", InetAddress.getByName(address))).contains(kind);
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "192.169.0.1",
        "2606:4700::1111", "2002:5db8:d822::1", "64:ff9b::808:808"})
    void allowsPublicAddresses(String address) throws Exception {
        assertThat(DEFAULT.refusal("example.com", InetAddress.getByName(address))).isNull();
    }

    @Test
    void allowListTakesHostNamesAddressesAndCidrBlocks() throws Exception {
        AddressPolicy policy = AddressPolicy.of(false, List.of("Images.Internal.", "10.20.0.0/16", "127.0.0.1",
                "fd00::/8", "[::1]"));

        assertThat(policy.refusal("images.internal", InetAddress.getByName("192.168.7.7"))).isNull();
        assertThat(policy.refusal("other.internal", InetAddress.getByName("192.168.7.7"))).contains("private");
        assertThat(policy.refusal("x", InetAddress.getByName("10.20.255.1"))).isNull();
        assertThat(policy.refusal("x", InetAddress.getByName("10.21.0.1"))).contains("private");
        assertThat(policy.refusal("x", InetAddress.getByName("127.0.0.1"))).isNull();
        assertThat(policy.refusal("x", InetAddress.getByName("127.0.0.2"))).contains("loopback");
        assertThat(policy.refusal("x", InetAddress.getByName("fd99::1"))).isNull();
        assertThat(policy.refusal("x", InetAddress.getByName("::1"))).isNull();
    }

    @Test
    void allowAllSkipsEveryCheck() throws Exception {
        AddressPolicy open = AddressPolicy.of(true, List.of());

        assertThat(open.refusal("x", InetAddress.getByName("169.254.169.254"))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "10.0.0.0/x", "::1/129", "999.1.1.1", "fd00::zz", "", "  "})
    void badEntriesAreRefusedNamingTheFlag(String entry) {
        assertThatThrownBy(() -> AddressPolicy.of(false, List.of(entry)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--allow-private-host");
    }
}
