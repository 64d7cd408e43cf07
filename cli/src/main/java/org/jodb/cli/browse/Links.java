package org.jodb.cli.browse;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The browser's addresses. Every link carries the page's snapshot tid ({@code at}), so that following links
 * keeps showing the same moment of the store; tids are written in hex as {@code jodb log} prints them, oids in
 * decimal.
 */
final class Links {
    private final long at;

    Links(long at) {
        this.at = at;
    }

    static String tid(long tid) {
        return String.format("0x%016x", tid);
    }

    static String time(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    String root() {
        return "/?at=" + tid(at);
    }

    String object(long oid) {
        return objectAt(oid, at);
    }

    /** The object as it was at {@code tid} (a snapshot of its own). */
    static String objectAt(long oid, long tid) {
        return "/object/" + oid + "?at=" + tid(tid);
    }

    String history(long oid) {
        return "/history/" + oid + "?at=" + tid(at);
    }

    String diff(long oid, long from, long to) {
        return "/diff/" + oid + "?from=" + tid(from) + "&to=" + tid(to) + "&at=" + tid(at);
    }

    String log(int page) {
        return "/log?at=" + tid(at) + (page == 0 ? "" : "&page=" + page);
    }

    String transaction(long tid) {
        return "/transaction/" + tid(tid) + "?at=" + tid(at);
    }

    String search(String query) {
        return "/search?at=" + tid(at) + "&q=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
    }
}
