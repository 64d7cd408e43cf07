package org.jodb.cli.browse;

import java.util.List;

/** What several pages say about revisions: which one a snapshot shows, and who wrote it when. */
final class Revisions {
    private Revisions() {
    }

    /**
     * The revision of {@code oid} current at the snapshot.
     *
     * @throws PageError (404) saying whether the store never held the oid, it did not exist yet at the
     *                   snapshot, or pack removed the revisions the snapshot would show
     */
    static StoreLog.Rev current(Snapshot s, long oid) {
        StoreLog.Rev r = s.revisionAt(oid, s.at);
        if (r != null) {
            return r;
        }
        List<StoreLog.Rev> all = s.log.revisions(oid);
        if (all == null) {
            throw PageError.notFound("oid " + oid + " is not in the store (no transaction wrote it, or pack removed"
                    + " it). Search for objects by class name, or follow the links from the root.");
        }
        if (all.get(0).olderRemoved()) {
            throw PageError.notFound("oid " + oid + " has no revision at or before tid " + Links.tid(s.at) + " any"
                    + " more: pack removed its older revisions. Show the newest snapshot instead.");
        }
        throw PageError.notFound("oid " + oid + " did not exist yet at tid " + Links.tid(s.at) + ": it was first"
                + " written at tid " + Links.tid(all.get(0).tid()) + ". Show a later snapshot.");
    }

    /** "tid T (time, user U, note N)" with the tid as a link to its transaction, escaped. */
    static String describe(Snapshot s, long tid, Links links) {
        StoreLog.Txn t = s.transaction(tid);
        StringBuilder sb = new StringBuilder("tid <a class=\"txn\" href=\"").append(Html.attr(links.transaction(tid)))
                .append("\">").append(Links.tid(tid)).append("</a>");
        if (t != null) {
            sb.append(" (").append(Links.time(t.timeMillis())).append(", user ").append(Html.quoted(t.user()))
                    .append(", note ").append(Html.quoted(t.note())).append(')');
        }
        return sb.toString();
    }
}
