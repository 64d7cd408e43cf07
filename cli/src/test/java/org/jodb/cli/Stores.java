package org.jodb.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.Persistence;
import org.jodb.PersistentMap;
import org.jodb.transaction.Transactions;

/** Stores the tests make: a small bank written in two transactions by two users. */
final class Stores {
    private Stores() {
    }

    public enum Tier { BASIC, GOLD }

    /** A value stored inside an account's record (no oid of its own). */
    public static class Money {
        String currency;
        long cents;

        public Money(String currency, long cents) {
            this.currency = currency;
            this.cents = cents;
        }
    }

    public static class Person {
        private String name;

        public Person(String name) {
            this.name = name;
        }
    }

    public static class Account {
        private String owner;
        private long balance;
        private Tier tier = Tier.BASIC;
        private Money limit = new Money("EUR", 50_000);
        private List<String> log = new ArrayList<>();
        private Person holder;

        public Account(String owner) {
            this.owner = owner;
        }

        public void deposit(long amount) {
            balance += amount;
            log.add("+" + amount);
        }

        public void setHolder(Person p) {
            holder = p;
        }

        public void promote() {
            tier = Tier.GOLD;
        }
    }

    /** What {@link #bank} made. */
    record Bank(long accountOid, long personOid) {
    }

    /**
     * Two transactions: alice opens an account with 100 (user "alice", note "open"), then bob deposits 50 and
     * promotes it (user "bob", note "deposit").
     */
    static Bank bank(Path dir) {
        try (Database db = Database.open(dir)) {
            Connection conn = db.open();
            PersistentMap<String, Object> root = conn.root();
            Transactions.get().setUser("alice");
            Transactions.get().note("open");
            Account a = conn.create(Account.class, "alice");
            Person p = conn.create(Person.class, "Alice Liddell");
            a.setHolder(p);
            a.deposit(100);
            root.put("alice", a);
            Transactions.commit();
            Transactions.get().setUser("bob");
            Transactions.get().note("deposit");
            a.deposit(50);
            a.promote();
            Transactions.commit();
            Bank bank = new Bank(Persistence.oid(a).getAsLong(), Persistence.oid(p).getAsLong());
            conn.close();
            return bank;
        }
    }

    static Path segment(Path dir) {
        return dir.resolve("log-00000001.seg");
    }

    /** Flips one bit of the first occurrence of {@code text} in the first segment. */
    static void flipByteOf(Path dir, String text) throws IOException {
        byte[] bytes = Files.readAllBytes(segment(dir));
        byte[] needle = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int at = indexOf(bytes, needle);
        if (at < 0) {
            throw new AssertionError("\"" + text + "\" is not in the segment");
        }
        try (var ch = java.nio.channels.FileChannel.open(segment(dir), java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) (bytes[at] ^ 0x01)}), at);
        }
    }

    private static int indexOf(byte[] bytes, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
