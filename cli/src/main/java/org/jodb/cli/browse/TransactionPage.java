package org.jodb.cli.browse;

import java.util.List;

/**
 * One transaction: its tid, time, user and note, and each object it wrote with its class, size, a link to the
 * object as the transaction left it and to the diff with the revision before.
 */
final class TransactionPage {
    private TransactionPage() {
    }

    static String render(Snapshot s, long tid) {
        Links links = new Links(s.at);
        StoreLog.Txn t = s.transaction(tid);
        if (t == null || Long.compareUnsigned(tid, s.at) > 0) {
            throw PageError.notFound("no transaction with tid " + Links.tid(tid) + " up to this snapshot (a wrong"
                    + " tid, a later one, or one pack removed). The transaction log lists them.");
        }
        StringBuilder sb = new StringBuilder("<h1>Transaction <span id=\"tid\">").append(Links.tid(tid))
                .append("</span></h1><table id=\"transaction\"><tr><th>time</th><td>").append(Links.time(t.timeMillis()))
                .append("</td></tr><tr><th>user</th><td id=\"user\">").append(Html.text(t.user()))
                .append("</td></tr><tr><th>note</th><td id=\"note\">").append(Html.text(t.note()))
                .append("</td></tr></table><h2>").append(t.oids().length)
                .append(t.oids().length == 1 ? " object written" : " objects written")
                .append("</h2><table id=\"written\"><tr><th>oid</th><th>class</th><th>bytes</th><th>change</th></tr>");
        for (long oid : t.oids()) {
            List<StoreLog.Rev> revs = s.log.revisions(oid);
            int at = indexOf(revs, tid);
            if (at < 0) {
                continue; // cannot be: the transaction wrote it; the row would have nothing to show
            }
            StoreLog.Rev r = revs.get(at);
            sb.append("<tr><td><a class=\"written\" href=\"").append(Html.attr(Links.objectAt(oid, tid))).append("\">oid ")
                    .append(oid).append("</a></td><td class=\"class\">").append(Html.text(s.className(r)))
                    .append("</td><td>").append(r.length()).append("</td><td>");
            if (at > 0) {
                sb.append("<a class=\"diff\" href=\"").append(Html.attr(links.diff(oid, revs.get(at - 1).tid(), tid)))
                        .append("\">diff with the revision before</a>");
            } else {
                sb.append(r.olderRemoved() ? "(older revisions removed by pack)" : "created");
            }
            sb.append("</td></tr>");
        }
        sb.append("</table>");
        return Page.of("transaction " + Links.tid(tid), sb.toString(), s);
    }

    private static int indexOf(List<StoreLog.Rev> revs, long tid) {
        if (revs != null) {
            for (int i = 0; i < revs.size(); i++) {
                if (revs.get(i).tid() == tid) {
                    return i;
                }
            }
        }
        return -1;
    }
}
