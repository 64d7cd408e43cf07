package org.jodb.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.jodb.spi.Revision;
import org.jodb.spi.TransactionInfo;
import org.jodb.spi.TransactionRecords;

/**
 * {@link PostgresStorage#transactions(long)}: the transactions after a tid, oldest first, read lazily: a
 * page of transaction rows per query, and one transaction's records when it is reached, each in autocommit,
 * so that a walk of a database larger than memory holds one transaction at a time and no open transaction.
 */
final class TransactionWalk implements Iterator<TransactionRecords> {
    private static final int PAGE = 100;

    private final PostgresStorage storage;
    private final ArrayDeque<TransactionInfo> page = new ArrayDeque<>();
    private long after;
    private boolean exhausted;

    TransactionWalk(PostgresStorage storage, long afterTid) {
        this.storage = storage;
        this.after = afterTid;
    }

    @Override
    public boolean hasNext() {
        storage.checkOpen();
        if (page.isEmpty() && !exhausted) {
            readPage();
        }
        return !page.isEmpty();
    }

    @Override
    public TransactionRecords next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no transaction after tid " + after + " in storage " + storage.name());
        }
        TransactionInfo header = page.poll();
        List<Revision> records = storage.run("read the records of transaction " + header.tid(), c -> {
            List<Revision> found = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(storage.sql.transactionRecords)) {
                s.setLong(1, header.tid());
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        found.add(new Revision(rs.getLong(1), header.tid(), rs.getBytes(2)));
                    }
                }
            }
            return found;
        });
        long[] oids = new long[records.size()];
        for (int i = 0; i < oids.length; i++) {
            oids[i] = records.get(i).oid();
        }
        return new TransactionRecords(new TransactionInfo(header.tid(), header.timeMillis(), header.user(),
                header.note(), oids), records);
    }

    private void readPage() {
        List<TransactionInfo> read = storage.run("list the transactions after tid " + after, c -> {
            List<TransactionInfo> found = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement(storage.sql.transactionPage)) {
                s.setLong(1, after);
                s.setInt(2, PAGE);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        found.add(new TransactionInfo(rs.getLong(1), rs.getLong(2), rs.getString(3),
                                rs.getString(4), new long[0]));
                    }
                }
            }
            return found;
        });
        page.addAll(read);
        if (read.size() < PAGE) {
            exhausted = true;
        }
        if (!read.isEmpty()) {
            after = read.get(read.size() - 1).tid();
        }
    }
}
