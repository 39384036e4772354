package dev.gearfarm.gearman.protocol;

/**
 * Every Gearman packet type, owning its wire code, its argument count and the directions it may travel.
 *
 * <p>Argument counts follow the C server's command table (libgearman/command.cc), not the PROTOCOL
 * document, where they differ: {@code SUBMIT_REDUCE_JOB*} carry an aggregator field. Code 5 is unused.
 */
public enum PacketType {
    CAN_DO(1, 1, true, false),
    CANT_DO(2, 1, true, false),
    RESET_ABILITIES(3, 0, true, false),
    PRE_SLEEP(4, 0, true, false),
    NOOP(6, 0, false, true),
    SUBMIT_JOB(7, 3, true, false),
    JOB_CREATED(8, 1, false, true),
    GRAB_JOB(9, 0, true, false),
    NO_JOB(10, 0, false, true),
    JOB_ASSIGN(11, 3, false, true),
    WORK_STATUS(12, 3, true, true),
    WORK_COMPLETE(13, 2, true, true),
    WORK_FAIL(14, 1, true, true),
    GET_STATUS(15, 1, true, false),
    ECHO_REQ(16, 1, true, false),
    ECHO_RES(17, 1, false, true),
    SUBMIT_JOB_BG(18, 3, true, false),
    ERROR(19, 2, false, true),
    STATUS_RES(20, 5, false, true),
    SUBMIT_JOB_HIGH(21, 3, true, false),
    SET_CLIENT_ID(22, 1, true, false),
    CAN_DO_TIMEOUT(23, 2, true, false),
    ALL_YOURS(24, 0, true, false),
    WORK_EXCEPTION(25, 2, true, true),
    OPTION_REQ(26, 1, true, false),
    OPTION_RES(27, 1, false, true),
    WORK_DATA(28, 2, true, true),
    WORK_WARNING(29, 2, true, true),
    GRAB_JOB_UNIQ(30, 0, true, false),
    JOB_ASSIGN_UNIQ(31, 4, false, true),
    SUBMIT_JOB_HIGH_BG(32, 3, true, false),
    SUBMIT_JOB_LOW(33, 3, true, false),
    SUBMIT_JOB_LOW_BG(34, 3, true, false),
    SUBMIT_JOB_SCHED(35, 8, true, false),
    SUBMIT_JOB_EPOCH(36, 4, true, false),
    SUBMIT_REDUCE_JOB(37, 5, true, false),
    SUBMIT_REDUCE_JOB_BACKGROUND(38, 5, true, false),
    GRAB_JOB_ALL(39, 0, true, false),
    JOB_ASSIGN_ALL(40, 5, false, true),
    GET_STATUS_UNIQUE(41, 1, true, false),
    STATUS_RES_UNIQUE(42, 6, false, true);

    /** Highest wire code in use. */
    public static final int MAX_CODE = 42;

    private static final PacketType[] BY_CODE = new PacketType[MAX_CODE + 1];

    static {
        for (PacketType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;
    private final int argCount;
    private final boolean request;
    private final boolean response;

    PacketType(int code, int argCount, boolean request, boolean response) {
        this.code = code;
        this.argCount = argCount;
        this.request = request;
        this.response = response;
    }

    /** The wire code. */
    public int code() {
        return code;
    }

    /** Number of arguments; the last one runs to the end of the body and may hold NULs. */
    public int argCount() {
        return argCount;
    }

    /** Whether this type may be sent with {@link Magic#REQ}. */
    public boolean isRequest() {
        return request;
    }

    /** Whether this type may be sent with {@link Magic#RES}. */
    public boolean isResponse() {
        return response;
    }

    /** The type for a wire code, or null when the code is unknown. */
    public static PacketType fromCode(int code) {
        return code > 0 && code <= MAX_CODE ? BY_CODE[code] : null;
    }
}
