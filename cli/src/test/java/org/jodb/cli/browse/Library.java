package org.jodb.cli.browse;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.Persistence;
import org.jodb.PersistentMap;
import org.jodb.transaction.Transactions;

/**
 * The store the browse tests look at: a book and its author written by alice, then changed by bob. The book's
 * blurb holds markup with a script that would change the page's title if it ran.
 */
final class Library {
    static final String BLURB = "<script>document.title='pwned'</script><b>bold</b> & \"quoted\"";

    public static class Author {
        private String name;

        public Author(String name) {
            this.name = name;
        }
    }

    public static class Book {
        private String title;
        private int pages;
        private String blurb = BLURB;
        private List<String> tags = new ArrayList<>();
        private Author author;

        public Book(String title, int pages) {
            this.title = title;
            this.pages = pages;
        }

        public void setAuthor(Author a) {
            author = a;
        }

        public void revise(int newPages, String tag) {
            pages = newPages;
            tags.add(tag);
        }
    }

    /** What {@link #write} made: the oids and the tids of alice's and bob's transactions. */
    record Made(long bookOid, long authorOid, long aliceTid, long bobTid) {
    }

    private Library() {
    }

    /** alice adds the book (note "add book"), then bob revises it (note "fix pages": 412 to 604 pages, a tag). */
    static Made write(Path dir) {
        long bookOid;
        long authorOid;
        try (Database db = Database.open(dir)) {
            Connection conn = db.open();
            PersistentMap<String, Object> root = conn.root();
            Transactions.get().setUser("alice");
            Transactions.get().note("add book");
            Book book = conn.create(Book.class, "Dune", 412);
            Author author = conn.create(Author.class, "Frank Herbert");
            book.setAuthor(author);
            root.put("book", book);
            Transactions.commit();
            Transactions.get().setUser("bob");
            Transactions.get().note("fix pages");
            book.revise(604, "classic");
            Transactions.commit();
            bookOid = Persistence.oid(book).getAsLong();
            authorOid = Persistence.oid(author).getAsLong();
            conn.close();
        }
        return new Made(bookOid, authorOid, tidBy(dir, "alice"), tidBy(dir, "bob"));
    }

    /** The tid of the newest transaction {@code user} committed, read from the log. */
    static long tidBy(Path dir, String user) {
        try (StoreLog log = org.jodb.cli.ScannedStoreLog.read(dir)) {
            long tid = -1;
            for (StoreLog.Txn t : log.transactions()) {
                if (t.user().equals(user)) {
                    tid = t.tid();
                }
            }
            return tid;
        }
    }

    /** Commits {@code n} small transactions, each putting one number into the root. */
    static void commitMany(Path dir, int n) {
        try (Database db = Database.open(dir)) {
            Connection conn = db.open();
            PersistentMap<String, Object> root = conn.root();
            for (int i = 0; i < n; i++) {
                Transactions.get().note("step " + i);
                root.put("step", i);
                Transactions.commit();
            }
            conn.close();
        }
    }

    static String tid(long tid) {
        return String.format("0x%016x", tid);
    }
}
