package dev.gearfarm.gearman.protocol;

import static dev.gearfarm.gearman.protocol.Wire.concat;
import static dev.gearfarm.gearman.protocol.Wire.hex;
import static dev.gearfarm.gearman.protocol.Wire.text;

/** The worked byte examples of the PROTOCOL document (gearman-notes §1.3), each with the packet it encodes. */
enum ProtocolExample {
    CAN_DO_REVERSE(
            concat(hex("00 52 45 51 00 00 00 01 00 00 00 07"), text("reverse")),
            Packet.request(PacketType.CAN_DO, "reverse")),
    SUBMIT_JOB_WITH_EMPTY_UNIQUE(
            concat(hex("00 52 45 51 00 00 00 07 00 00 00 0d"), text("reverse\0\0test")),
            Packet.request(PacketType.SUBMIT_JOB, "reverse", "", "test")),
    JOB_CREATED(
            concat(hex("00 52 45 53 00 00 00 08 00 00 00 07"), text("H:lap:1")),
            Packet.response(PacketType.JOB_CREATED, "H:lap:1")),
    JOB_ASSIGN(
            concat(hex("00 52 45 53 00 00 00 0b 00 00 00 14"), text("H:lap:1\0reverse\0test")),
            Packet.response(PacketType.JOB_ASSIGN, "H:lap:1", "reverse", "test")),
    WORK_COMPLETE(
            concat(hex("00 52 45 51 00 00 00 0d 00 00 00 0c"), text("H:lap:1\0tset")),
            Packet.request(PacketType.WORK_COMPLETE, "H:lap:1", "tset"));

    final byte[] bytes;
    final Packet packet;

    ProtocolExample(byte[] bytes, Packet packet) {
        this.bytes = bytes;
        this.packet = packet;
    }
}
