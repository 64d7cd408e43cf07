package org.jodb.cli.browse;

import java.util.Locale;

/**
 * Search at the snapshot: a number finds the object with that oid; any text finds the objects whose class
 * name contains it (ignoring case), at most {@value #MAX_RESULTS} of them, with how many matched in all.
 */
final class SearchPage {
    static final int MAX_RESULTS = 500;

    private SearchPage() {
    }

    static String render(Snapshot s, String query) {
        Links links = new Links(s.at);
        StringBuilder sb = new StringBuilder("<h1>Search</h1>");
        if (query == null) {
            sb.append("<p>Give an oid (12) or part of a class name (Account, org.example) in the box above.</p>");
            return Page.of("search", sb.toString(), s);
        }
        sb.append("<p>Objects at this snapshot whose oid is, or whose class name contains, <span id=\"query\">")
                .append(Html.quoted(query)).append("</span>:</p><table id=\"results\"><tr><th>oid</th><th>class</th></tr>");
        int count = 0;
        Long exact = PageRequest.isNumber(query) ? PageRequest.number("oid", query) : null;
        if (exact != null) {
            long oid = exact;
            StoreLog.Rev r = s.revisionAt(oid, s.at);
            if (r != null) {
                count++;
                row(sb, links, oid, s.className(r));
            }
        }
        String needle = query.toLowerCase(Locale.ROOT);
        for (long oid : s.log.oids()) {
            StoreLog.Rev r = s.revisionAt(oid, s.at);
            if (r == null || (exact != null && exact == oid)) {
                continue;
            }
            String name = s.className(r);
            if (!Snapshot.ENTRY.equals(name) && name.toLowerCase(Locale.ROOT).contains(needle)) {
                if (++count <= MAX_RESULTS) {
                    row(sb, links, oid, name);
                }
            }
        }
        sb.append("</table><p id=\"result-count\">").append(count == 0 ? "Nothing found." : count
                + (count == 1 ? " object found" : " objects found")
                + (count > MAX_RESULTS ? "; the first " + MAX_RESULTS + " are shown: narrow the search" : "") + ".")
                .append("</p>");
        return Page.of("search " + query, sb.toString(), s);
    }

    private static void row(StringBuilder sb, Links links, long oid, String className) {
        sb.append("<tr class=\"result\"><td><a class=\"found\" href=\"").append(Html.attr(links.object(oid))).append("\">oid ")
                .append(oid).append("</a></td><td class=\"class\">").append(Html.text(className)).append("</td></tr>");
    }
}
