package org.jodb.cli.browse;

import java.util.Map;

/**
 * One request as the pages see it: the path's segments after the page's name and the query's parameters,
 * with the parsing of oids, tids and page numbers that names the bad value and the form expected.
 */
record PageRequest(String page, String argument, Map<String, String> params) {

    /** {@code /object/12} gives page "object", argument "12"; {@code /} gives page "", no argument. */
    static PageRequest of(String path, Map<String, String> params) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        int slash = p.indexOf('/');
        String page = slash < 0 ? p : p.substring(0, slash);
        String argument = slash < 0 ? null : p.substring(slash + 1);
        return new PageRequest(page, argument == null || argument.isEmpty() ? null : argument, params);
    }

    String param(String name) {
        String v = params.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** The snapshot the page asks for ({@code at}), or {@code null} for the newest. */
    Long at() {
        String at = param("at");
        return at == null ? null : number("tid", at);
    }

    long oidArgument() {
        if (argument == null) {
            throw PageError.badRequest("the address names no oid: give one, as in /object/12.");
        }
        return number("oid", argument);
    }

    long tidArgument() {
        if (argument == null) {
            throw PageError.badRequest("the address names no tid: give one, as in /transaction/0x18bcfe5680000000.");
        }
        return number("tid", argument);
    }

    long tidParam(String name) {
        String v = param(name);
        if (v == null) {
            throw PageError.badRequest("the parameter " + name + " is missing: give a tid (from the object's history).");
        }
        return number("tid", v);
    }

    int pageNumber() {
        String v = param("page");
        if (v == null) {
            return 0;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw PageError.badRequest("bad page number \"" + v + "\": give 0 or more.");
    }

    /** Parses a decimal or {@code 0x} hex number (oids are shown in decimal, tids in hex). */
    static long number(String what, String text) {
        try {
            String t = text.trim();
            if (t.startsWith("0x") || t.startsWith("0X")) {
                return Long.parseUnsignedLong(t.substring(2), 16);
            }
            long v = Long.parseLong(t);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw PageError.badRequest("bad " + what + " \"" + text + "\": give a number, decimal (12) or hex"
                + " (0x18bcfe5680000000).");
    }

    /** Whether {@code text} reads as an oid or tid. */
    static boolean isNumber(String text) {
        try {
            number("oid", text);
            return true;
        } catch (PageError e) {
            return false;
        }
    }
}
