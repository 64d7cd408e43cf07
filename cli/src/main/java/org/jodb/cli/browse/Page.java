package org.jodb.cli.browse;

/**
 * The frame of every page: its title, the navigation (the root, the transaction log, the search form), the
 * content, and a footer saying which tid the page shows and linking to the newest when it is older. The
 * search form carries the snapshot tid, so a search keeps the page's moment too.
 */
final class Page {
    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:0;color:#222}
            header{background:#2d3e50;color:#fff;padding:.5em 1em;display:flex;gap:1.2em;align-items:center}
            header a{color:#fff;text-decoration:none;font-weight:600}
            header form{margin-left:auto}
            main{padding:0 1em 1em}
            footer{border-top:1px solid #ccc;padding:.5em 1em;color:#555;font-size:.9em}
            table{border-collapse:collapse;margin:.4em 0}
            th,td{border:1px solid #ddd;padding:.2em .5em;text-align:left;vertical-align:top}
            th.field{background:#f4f6f8;font-weight:600}
            .string{color:#0a6b24;white-space:pre-wrap}
            .class{color:#6b3fa0}
            .null,.none{color:#888}
            ul.items{margin:.2em 0;padding-left:1.4em}
            tr.changed td{background:#fff4d6}
            tr.added td{background:#e3f7e3}
            tr.removed td{background:#fbe3e3}
            .warning{background:#fbe3e3;padding:.4em}
            pre{margin:.2em 0}
            """;

    private Page() {
    }

    static String of(String title, String content, Snapshot snapshot) {
        Links links = new Links(snapshot.at);
        StringBuilder sb = new StringBuilder(4096 + content.length());
        sb.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(Html.text(title)).append(" · jodb browse</title><style>").append(STYLE)
                .append("</style></head><body><header><a id=\"nav-root\" href=\"").append(Html.attr(links.root()))
                .append("\">Root</a><a id=\"nav-log\" href=\"").append(Html.attr(links.log(0)))
                .append("\">Transactions</a><a id=\"nav-search\" href=\"").append(Html.attr(links.search("")))
                .append("\">Search</a><form action=\"/search\" method=\"get\"><input type=\"hidden\" name=\"at\" value=\"")
                .append(Html.attr(Links.tid(snapshot.at))).append("\"><input name=\"q\" id=\"search-box\" size=\"28\""
                        + " placeholder=\"oid or class name\"> <button type=\"submit\">Search</button></form></header><main>");
        for (String problem : snapshot.log.problems()) {
            sb.append("<p class=\"warning\">Damaged: ").append(Html.text(problem)).append("</p>");
        }
        sb.append(content).append("</main>").append(footer(snapshot)).append("</body></html>");
        return sb.toString();
    }

    /** A page that could not be shown: what is wrong and what to do. */
    static String error(String title, String message, Snapshot snapshot) {
        String content = "<h1>" + Html.text(title) + "</h1><p id=\"error\">" + Html.text(message) + "</p>";
        return snapshot == null ? bare(title, content) : of(title, content, snapshot);
    }

    /** A page without a snapshot (the store could not be read at all). */
    static String bare(String title, String content) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + Html.text(title)
                + " · jodb browse</title><style>" + STYLE + "</style></head><body><main>" + content
                + "</main></body></html>";
    }

    private static String footer(Snapshot s) {
        StringBuilder sb = new StringBuilder("<footer id=\"snapshot\">");
        StoreLog.Txn t = s.transaction(s.at);
        sb.append("Store ").append(Html.text(s.log.name())).append(", read-only. ");
        if (s.log.lastTid() == 0) {
            sb.append("The store holds no transaction yet.");
        } else {
            sb.append("Showing the snapshot at tid <span id=\"snapshot-tid\">").append(Links.tid(s.at)).append("</span>");
            if (t != null) {
                sb.append(" (").append(Links.time(t.timeMillis())).append(')');
            }
            if (s.isNewest()) {
                sb.append(", the newest transaction when this page was read.");
            } else {
                sb.append("; the newest is ").append(Links.tid(s.log.lastTid())).append(": <a id=\"newest\" href=\"/\">show"
                        + " the newest</a>.");
            }
        }
        return sb.append("</footer>").toString();
    }
}
