package org.jodb.cli;

import java.util.Collections;
import java.util.Comparator;

/**
 * Small helpers the commands share for what they print. Public for the browser view's pages
 * ({@code org.jodb.cli.browse}), which show the same literals and hex dumps escaped as HTML.
 */
public final class Text {
    private Text() {
    }

    /** A string in double quotes, with quotes, backslashes and control characters escaped. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** Bytes in hex, 16 a line, each line indented by {@code indent}. */
    public static String hex(byte[] bytes, String indent) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < bytes.length; i++) {
            if (i % 16 == 0) {
                sb.append(i == 0 ? "" : "\n").append(indent).append(String.format("%04x ", i));
            }
            sb.append(String.format(" %02x", bytes[i]));
        }
        return sb.toString();
    }

    /** The error for an oid the log does not hold, saying which oids it does hold. */
    static UserError unknownOid(StoreDir store, LogScan scan, long oid) {
        String held = scan.revisions.isEmpty() ? "the store holds no object yet"
                : "its oids run from 0 to " + Collections.max(scan.revisions.keySet(), Comparator.naturalOrder());
        return new UserError("oid " + oid + " is not in the store " + store.path + " (no transaction wrote it, or pack"
                + " removed it; " + held + "). Find oids with `jodb log " + store.path + "` or `jodb stats "
                + store.path + "`.");
    }

    /** The transaction with {@code tid}, or {@code null}. */
    static LogScan.Txn transactionOf(LogScan scan, long tid) {
        int lo = 0;
        int hi = scan.transactions.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long t = scan.transactions.get(mid).tid();
            if (t == tid) {
                return scan.transactions.get(mid);
            }
            if (Long.compareUnsigned(t, tid) < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return null;
    }
}
