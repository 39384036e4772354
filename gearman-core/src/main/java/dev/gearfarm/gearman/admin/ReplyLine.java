package dev.gearfarm.gearman.admin;

/**
 * One line of a reply being parsed, with the context a {@link MalformedReplyException} needs. Each record
 * parses its own line format through it, so the checks and messages are the same everywhere.
 */
record ReplyLine(String server, String command, String text) {

    /** The tab-separated fields, exactly {@code names.length} of them. */
    String[] tabFields(String... names) {
        String[] fields = text.split("\t", -1);
        if (fields.length != names.length) {
            throw malformed("expected " + names.length + " tab-separated fields " + String.join(" ", names)
                    + ", found " + fields.length);
        }
        return fields;
    }

    /** A count: decimal digits only, within {@code int}. */
    int count(String name, String field) {
        return (int) number(name, field, Integer.MAX_VALUE);
    }

    /** A non-negative decimal number no larger than {@code max}. */
    long number(String name, String field, long max) {
        if (field.isEmpty() || field.length() > 19 || !field.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw malformed(name + " '" + field + "' is not a non-negative number");
        }
        long value = Long.parseLong(field);
        if (value > max) {
            throw malformed(name + " " + field + " is larger than " + max);
        }
        return value;
    }

    /** A {@code 0}/{@code 1} flag as C gearmand prints booleans. */
    boolean flag(String name, String field) {
        return switch (field) {
            case "0" -> false;
            case "1" -> true;
            default -> throw malformed(name + " '" + field + "' is not 0 or 1");
        };
    }

    /** The text after {@code OK }, which must not be empty. */
    String okValue(String name) {
        if (!text.startsWith("OK ") || text.length() == 3) {
            throw malformed("expected OK followed by the " + name);
        }
        return text.substring(3);
    }

    MalformedReplyException malformed(String problem) {
        return new MalformedReplyException(server, command, text, problem);
    }
}
