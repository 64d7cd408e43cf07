package org.jodb.cli.browse;

/**
 * An object at the snapshot: its class, its revision (with the transaction that wrote it), its fields and
 * values with references as links, and links to its history. {@code /} is this page for the root, oid 0.
 */
final class ObjectPage {
    private ObjectPage() {
    }

    static String render(Snapshot s, long oid) {
        Links links = new Links(s.at);
        StoreLog.Rev r = Revisions.current(s, oid);
        String className = s.className(r);
        StringBuilder sb = new StringBuilder();
        sb.append("<h1>").append(oid == 0 ? "Root, oid 0" : "oid " + oid).append(" <span id=\"class-name\" class=\"class\">")
                .append(Html.text(className)).append("</span></h1>");
        sb.append("<p id=\"revision\">Revision of ").append(Revisions.describe(s, r.tid(), links)).append(", ")
                .append(r.length()).append(" bytes. <a id=\"history-link\" href=\"").append(Html.attr(links.history(oid)))
                .append("\">History</a> (").append(s.revisions(oid).size()).append(" revisions up to this snapshot")
                .append(r.olderRemoved() ? "; older ones were removed by pack" : "").append(")</p>");
        sb.append(stateHtml(s.state(r), links));
        return Page.of((oid == 0 ? "root" : "oid " + oid) + " " + className, sb.toString(), s);
    }

    /** A revision's content: the fields table, or what else the record holds. */
    static String stateHtml(Snapshot.State state, Links links) {
        if (state instanceof Snapshot.State.Object o) {
            return ValueHtml.fields(o.value(), links);
        }
        if (state instanceof Snapshot.State.Entry e) {
            return "<p>A registry entry (a class name or field layout jodb keeps for itself): <code>"
                    + Html.text(e.text()) + "</code></p>";
        }
        if (state instanceof Snapshot.State.Unreadable u) {
            return "<p class=\"warning\">" + Html.text(u.reason()) + "</p>"
                    + (u.bytes().length == 0 ? "" : "<pre>" + Html.hex(u.bytes()) + "</pre>");
        }
        return "<p class=\"none\">No state at this revision (an empty record).</p>";
    }
}
