package org.jodb.bench;

/** The data every store gets: account {@code i} under key {@code "acct-" + i}. */
final class Keys {
    /** Every account starts with this balance; transfers keep the total constant. */
    static final long INITIAL_BALANCE = 1_000;

    private Keys() {
    }

    static String key(int i) {
        return "acct-" + i;
    }

    static Account newAccount(int i) {
        return new Account("owner-" + i, INITIAL_BALANCE, 0);
    }
}
