package org.jodb.bench;

/**
 * The one object every store holds 100,000 of. A plain class that each store persists its own way:
 * jodb proxies it, EclipseStore stores it reflectively, MVStore and MapDB get a hand-written
 * serializer ({@link AccountCodec}) so that neither pays for Java serialization.
 *
 * <p>Fields are private and methods not final so that jodb can proxy it; it is mutable because
 * jodb and EclipseStore change objects in place. MVStore and MapDB treat stored values as
 * immutable, so their adapters copy before changing.
 */
public class Account {
    private String owner;
    private long balance;
    private long credit;

    /** For serializers that instantiate first and fill in later. */
    protected Account() {
    }

    public Account(String owner, long balance, long credit) {
        this.owner = owner;
        this.balance = balance;
        this.credit = credit;
    }

    public String getOwner() {
        return owner;
    }

    public long getBalance() {
        return balance;
    }

    public long getCredit() {
        return credit;
    }

    /** Adds {@code amount} (may be negative) to the balance. */
    public void deposit(long amount) {
        balance += amount;
    }

    /** A copy, for stores whose values must not change once stored. */
    public Account copy() {
        return new Account(owner, balance, credit);
    }
}
