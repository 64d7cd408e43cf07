package org.jodb.cli.browse;

import java.util.List;

/**
 * The transaction log up to the snapshot, newest first, {@value #PER_PAGE} a page: tid, time, user, note and
 * the objects each transaction wrote, each a link to the object as that transaction left it.
 */
final class LogPage {
    static final int PER_PAGE = 50;

    private LogPage() {
    }

    static String render(Snapshot s, int page) {
        Links links = new Links(s.at);
        List<StoreLog.Txn> all = s.transactionsNewestFirst();
        int first = page * PER_PAGE;
        if (first > 0 && first >= all.size()) {
            throw PageError.notFound("the log has " + all.size() + " transactions up to this snapshot, " + PER_PAGE
                    + " a page: page " + page + " is past its end. Go to the first page.");
        }
        int end = Math.min(all.size(), first + PER_PAGE);
        StringBuilder sb = new StringBuilder("<h1>Transactions</h1><p>")
                .append(all.size()).append(all.size() == 1 ? " transaction" : " transactions")
                .append(" up to this snapshot, newest first")
                .append(all.isEmpty() ? "" : "; " + (first + 1) + " to " + end + " below").append(".</p>");
        sb.append("<table id=\"log\"><tr><th>tid</th><th>time</th><th>user</th><th>note</th><th>objects written</th></tr>");
        for (StoreLog.Txn t : all.subList(first, end)) {
            sb.append("<tr class=\"transaction\"><td><a class=\"txn\" href=\"").append(Html.attr(links.transaction(t.tid())))
                    .append("\">").append(Links.tid(t.tid())).append("</a></td><td>").append(Links.time(t.timeMillis()))
                    .append("</td><td class=\"user\">").append(Html.text(t.user())).append("</td><td class=\"note\">")
                    .append(Html.text(t.note())).append("</td><td>");
            for (int i = 0; i < t.oids().length; i++) {
                long oid = t.oids()[i];
                sb.append(i == 0 ? "" : ", ").append("<a class=\"written\" href=\"")
                        .append(Html.attr(Links.objectAt(oid, t.tid()))).append("\">").append(oid).append("</a>");
            }
            sb.append("</td></tr>");
        }
        sb.append("</table><p>");
        if (page > 0) {
            sb.append("<a id=\"newer\" href=\"").append(Html.attr(links.log(page - 1))).append("\">&larr; newer</a> ");
        }
        if (end < all.size()) {
            sb.append("<a id=\"older\" href=\"").append(Html.attr(links.log(page + 1))).append("\">older &rarr;</a>");
        }
        sb.append("</p>");
        return Page.of("transactions", sb.toString(), s);
    }
}
