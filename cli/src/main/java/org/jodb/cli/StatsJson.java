package org.jodb.cli;

/**
 * {@link StoreStats} as one JSON object (written by hand: the figures are flat, no library is needed), with the
 * runtime figures of the process that has the store open under {@code "live"} when one has.
 */
final class StatsJson {
    private StatsJson() {
    }

    /** @param live the runtime figures of the process that has the store open; {@code null} when none has */
    static String of(StoreDir store, StoreStats s, LiveFigures.Result live) {
        return of(store.path.toString(), true, s, live);
    }

    /**
     * @param store     the store as shown (a URL without its password)
     * @param fileStore whether the file figures (log, segment and disk bytes) mean something: false for a
     *                  storage opened by URL, whose JSON leaves them out
     */
    static String of(String store, boolean fileStore, StoreStats s, LiveFigures.Result live) {
        StringBuilder sb = new StringBuilder("{");
        sb.append("\"store\":").append(string(store));
        sb.append(",\"transactions\":").append(s.transactions);
        if (s.transactions > 0) {
            sb.append(",\"firstTransaction\":").append(string(Times.format(s.firstMillis)));
            sb.append(",\"lastTransaction\":").append(string(Times.format(s.lastMillis)));
        }
        sb.append(",\"objects\":").append(s.objects);
        sb.append(",\"records\":").append(s.records);
        sb.append(",\"liveBytes\":").append(s.liveBytes);
        sb.append(",\"recordBytes\":").append(s.recordBytes);
        if (fileStore) {
            sb.append(",\"logBytes\":").append(s.logBytes);
            sb.append(",\"segmentBytes\":").append(s.segmentBytes);
            sb.append(",\"diskBytes\":").append(s.diskBytes);
        }
        sb.append(",\"classes\":[");
        boolean first = true;
        for (StoreStats.ClassFigures f : s.classes.values()) {
            sb.append(first ? "" : ",").append("{\"name\":").append(string(f.name)).append(",\"objects\":")
                    .append(f.objects).append(",\"revisions\":").append(f.revisions).append(",\"liveBytes\":")
                    .append(f.liveBytes).append(",\"allBytes\":").append(f.allBytes).append('}');
            first = false;
        }
        sb.append("],\"largest\":[");
        first = true;
        for (StoreStats.Large l : s.largest) {
            sb.append(first ? "" : ",").append("{\"oid\":").append(l.oid()).append(",\"class\":")
                    .append(string(l.className())).append(",\"bytes\":").append(l.bytes()).append(",\"tid\":")
                    .append(string(Ids.tid(l.tid()))).append('}');
            first = false;
        }
        sb.append(']');
        if (live != null) {
            sb.append(",\"live\":{\"pid\":").append(live.pid() < 0 ? "null" : Long.toString(live.pid()));
            if (live.mbean() == null) {
                sb.append(",\"figures\":null,\"why\":").append(string(live.why()));
            } else {
                sb.append(",\"mbean\":").append(string(live.mbean())).append(",\"figures\":{");
                first = true;
                for (var f : live.figures().entrySet()) {
                    sb.append(first ? "" : ",").append(string(f.getKey())).append(':').append(number(f.getValue()));
                    first = false;
                }
                sb.append('}');
            }
            sb.append('}');
        }
        return sb.append('}').toString();
    }

    /** A figure as a JSON number (a rate that is no number, which JSON cannot hold, as null). */
    private static String number(Object value) {
        if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
            return "null";
        }
        return value instanceof Number ? value.toString() : string(String.valueOf(value));
    }

    /** A JSON string: {@link Text#quote} escapes what JSON requires (quotes, backslashes, control characters). */
    private static String string(String s) {
        return Text.quote(s);
    }
}
