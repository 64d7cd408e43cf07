package org.jodb.transaction;

/**
 * How a transaction ended. {@link TransactionStatus} says where a commit stands; this says whether the
 * transaction is over, and how, for the messages of operations refused afterwards. Abort does not change
 * the status (ZODB's transactions have no "aborted" status), so the two are kept apart.
 */
enum Ending {
    COMMITTED("committed"),
    ABORTED("aborted");

    /** The past participle a message uses: "the transaction has already been committed". */
    final String word;

    Ending(String word) {
        this.word = word;
    }
}
