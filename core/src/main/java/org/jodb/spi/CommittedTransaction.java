package org.jodb.spi;

/**
 * A committed transaction as {@link Storage#transactionsAfter} reports it.
 *
 * @param tid  its tid
 * @param oids the oids it wrote (no particular order, no duplicates)
 */
public record CommittedTransaction(long tid, long[] oids) {
}
