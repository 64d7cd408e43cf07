package org.jodb.storage.internal.recovery;

/**
 * An account of the object-level crash rounds ({@link ObjectTransfers}): a balance, and a version that every
 * change of the balance raises by one, so that a reopened store shows which acknowledged changes it holds.
 */
public class CrashAccount {
    private long balance;
    private long version;
    /** Varies the size of records, so that segment rolls fall at varied places. */
    private byte[] padding = new byte[0];

    public CrashAccount(long balance) {
        this.balance = balance;
    }

    protected CrashAccount() {
    }

    public long balance() {
        return balance;
    }

    public long version() {
        return version;
    }

    public void add(long amount, int paddingBytes) {
        balance += amount;
        version++;
        padding = new byte[paddingBytes];
    }
}
