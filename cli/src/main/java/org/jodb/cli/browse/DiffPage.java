package org.jodb.cli.browse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jodb.internal.serialization.RecordDecoder;

/**
 * The difference between two revisions of one object, field by field: each stored field with its state
 * (changed, added, removed, unchanged) and its old and new value. Two values are the same when they are shown
 * the same: the decoded values have no equality of their own (a value of an application class is a
 * {@link RecordDecoder.StoredObject}), and what the page shows is what the user compares.
 */
final class DiffPage {
    private DiffPage() {
    }

    static String render(Snapshot s, long oid, long fromTid, long toTid) {
        Links links = new Links(s.at);
        Revisions.current(s, oid);
        StoreLog.Rev from = revision(s, oid, fromTid);
        StoreLog.Rev to = revision(s, oid, toTid);
        StringBuilder sb = new StringBuilder();
        sb.append("<h1>Changes to <a id=\"object-link\" href=\"").append(Html.attr(links.object(oid))).append("\">oid ")
                .append(oid).append("</a> <span class=\"class\">").append(Html.text(s.className(to)))
                .append("</span></h1><p>From the revision of ").append(Revisions.describe(s, from.tid(), links))
                .append("<br>to the revision of ").append(Revisions.describe(s, to.tid(), links))
                .append(". <a href=\"").append(Html.attr(links.history(oid))).append("\">History</a></p>");
        Snapshot.State a = s.state(from);
        Snapshot.State b = s.state(to);
        if (!(a instanceof Snapshot.State.Object oa) || !(b instanceof Snapshot.State.Object ob)) {
            sb.append("<h2>Before</h2>").append(ObjectPage.stateHtml(a, links)).append("<h2>After</h2>")
                    .append(ObjectPage.stateHtml(b, links));
            return Page.of("diff of oid " + oid, sb.toString(), s);
        }
        if (!oa.value().className.equals(ob.value().className)) {
            sb.append("<p class=\"warning\">The class changed from ").append(Html.text(oa.value().className))
                    .append(" to ").append(Html.text(ob.value().className)).append(".</p>");
        }
        Map<String, String[]> rows = new LinkedHashMap<>();
        fill(rows, oa.value(), 0, links);
        fill(rows, ob.value(), 1, links);
        List<String> changed = new ArrayList<>();
        StringBuilder table = new StringBuilder("<table id=\"diff\"><tr><th>field</th><th>change</th><th>before</th>"
                + "<th>after</th></tr>");
        for (Map.Entry<String, String[]> e : rows.entrySet()) {
            String before = e.getValue()[0];
            String after = e.getValue()[1];
            String kind = before == null ? "added" : after == null ? "removed" : before.equals(after) ? "unchanged" : "changed";
            if (!kind.equals("unchanged")) {
                changed.add(e.getKey());
            }
            table.append("<tr class=\"").append(kind).append("\"><th class=\"field\">").append(Html.text(e.getKey()))
                    .append("</th><td class=\"change\">").append(kind).append("</td><td class=\"before\">")
                    .append(before == null ? "" : before).append("</td><td class=\"after\">")
                    .append(after == null ? "" : after).append("</td></tr>");
        }
        table.append("</table>");
        sb.append("<p id=\"diff-summary\">").append(changed.isEmpty() ? "No field changed."
                : changed.size() + (changed.size() == 1 ? " field" : " fields") + " changed: "
                + Html.text(String.join(", ", changed)) + ".").append("</p>").append(table);
        return Page.of("diff of oid " + oid, sb.toString(), s);
    }

    private static StoreLog.Rev revision(Snapshot s, long oid, long tid) {
        StoreLog.Rev r = s.revisionAt(oid, tid);
        if (r == null) {
            throw PageError.notFound("oid " + oid + " has no revision at or before tid " + Links.tid(tid)
                    + ". Pick the revisions to compare from its history.");
        }
        return r;
    }

    private static void fill(Map<String, String[]> rows, RecordDecoder.StoredObject o, int side, Links links) {
        for (int i = 0; i < o.names.size(); i++) {
            rows.computeIfAbsent(o.names.get(i), k -> new String[2])[side] = ValueHtml.value(o.values.get(i), links);
        }
        if (o.unread != null) {
            rows.computeIfAbsent("(bytes not read)", k -> new String[2])[side] = Html.text(o.unreadReason)
                    + "<pre>" + Html.hex(o.unread) + "</pre>";
        }
    }
}
