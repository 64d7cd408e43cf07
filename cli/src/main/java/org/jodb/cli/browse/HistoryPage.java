package org.jodb.cli.browse;

import java.util.List;

/**
 * An object's revisions up to the snapshot, newest first: the transaction of each, a link to the object as
 * that revision left it and to the diff with the revision before; below, the state at each revision (folded),
 * and a form that diffs any two.
 */
final class HistoryPage {
    private HistoryPage() {
    }

    static String render(Snapshot s, long oid) {
        Links links = new Links(s.at);
        StoreLog.Rev current = Revisions.current(s, oid);
        List<StoreLog.Rev> revs = s.revisions(oid);
        StringBuilder sb = new StringBuilder();
        sb.append("<h1>History of <a id=\"object-link\" href=\"").append(Html.attr(links.object(oid))).append("\">oid ")
                .append(oid).append("</a> <span class=\"class\">").append(Html.text(s.className(current)))
                .append("</span></h1><p>").append(revs.size()).append(revs.size() == 1 ? " revision" : " revisions")
                .append(" up to this snapshot, newest first")
                .append(revs.get(0).olderRemoved() ? "; older ones were removed by pack" : "").append(".</p>");
        sb.append("<table id=\"revisions\"><tr><th>tid</th><th>time</th><th>user</th><th>note</th><th>bytes</th>"
                + "<th>state</th><th>change</th></tr>");
        for (int i = revs.size() - 1; i >= 0; i--) {
            StoreLog.Rev r = revs.get(i);
            StoreLog.Txn t = s.transaction(r.tid());
            sb.append("<tr class=\"revision\"><td><a class=\"txn\" href=\"").append(Html.attr(links.transaction(r.tid())))
                    .append("\">").append(Links.tid(r.tid())).append("</a></td><td>")
                    .append(t == null ? "?" : Links.time(t.timeMillis())).append("</td><td class=\"user\">")
                    .append(t == null ? "" : Html.text(t.user())).append("</td><td class=\"note\">")
                    .append(t == null ? "" : Html.text(t.note())).append("</td><td>").append(r.length())
                    .append("</td><td><a class=\"state\" href=\"").append(Html.attr(Links.objectAt(oid, r.tid())))
                    .append("\">state</a></td><td>");
            if (i > 0) {
                sb.append("<a class=\"diff\" href=\"").append(Html.attr(links.diff(oid, revs.get(i - 1).tid(), r.tid())))
                        .append("\">diff with the revision before</a>");
            } else {
                sb.append(r.olderRemoved() ? "(older revisions removed by pack)" : "(created)");
            }
            sb.append("</td></tr>");
        }
        sb.append("</table>");
        if (revs.size() > 1) {
            sb.append(diffForm(oid, revs, s.at));
        }
        sb.append("<h2>The state at each revision</h2>");
        for (int i = revs.size() - 1; i >= 0; i--) {
            StoreLog.Rev r = revs.get(i);
            sb.append("<details class=\"revision-state\"").append(i == revs.size() - 1 ? " open" : "").append("><summary>")
                    .append(Revisions.describe(s, r.tid(), links)).append("</summary>")
                    .append(ObjectPage.stateHtml(s.state(r), links)).append("</details>");
        }
        return Page.of("history of oid " + oid, sb.toString(), s);
    }

    /** Two lists of the revisions and a button: no script, the browser sends the choice as a GET. */
    private static String diffForm(long oid, List<StoreLog.Rev> revs, long at) {
        StringBuilder sb = new StringBuilder("<form id=\"diff-form\" action=\"/diff/").append(oid)
                .append("\" method=\"get\"><input type=\"hidden\" name=\"at\" value=\"").append(Links.tid(at))
                .append("\">Compare ");
        for (String name : new String[] {"from", "to"}) {
            sb.append("<select name=\"").append(name).append("\">");
            for (int i = revs.size() - 1; i >= 0; i--) {
                boolean selected = name.equals("from") ? i == revs.size() - 2 : i == revs.size() - 1;
                sb.append("<option value=\"").append(Links.tid(revs.get(i).tid())).append('"')
                        .append(selected ? " selected" : "").append('>').append(Links.tid(revs.get(i).tid()))
                        .append("</option>");
            }
            sb.append("</select>").append(name.equals("from") ? " with " : " ");
        }
        return sb.append("<button type=\"submit\">Diff</button></form>").toString();
    }
}
