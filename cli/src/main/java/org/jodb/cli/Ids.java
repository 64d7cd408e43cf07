package org.jodb.cli;

/** How oids and tids are written on the command line and in output: tids in hex as in the log, oids in decimal. */
final class Ids {
    private Ids() {
    }

    /** A tid as output: {@code 0x} and 16 hex digits. */
    static String tid(long tid) {
        return String.format("0x%016x", tid);
    }

    /**
     * Parses an oid or tid given as decimal or as {@code 0x} hex.
     *
     * @throws UserError naming the argument and the forms accepted
     */
    static long parse(String what, String text) {
        try {
            String t = text.trim();
            if (t.startsWith("0x") || t.startsWith("0X")) {
                return Long.parseUnsignedLong(t.substring(2), 16);
            }
            long value = Long.parseLong(t);
            if (value < 0) {
                throw new NumberFormatException("negative");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new UserError("bad " + what + " \"" + text + "\": give a number, decimal (12) or hex (0x18bcfe5680000000)"
                    + ("tid".equals(what) ? "; `jodb log STORE` lists the tids" : "; `jodb stats STORE` lists the largest objects' oids")
                    + ".");
        }
    }
}
