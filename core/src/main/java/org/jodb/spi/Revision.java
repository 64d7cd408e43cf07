package org.jodb.spi;

/**
 * One revision of an object's record.
 *
 * @param oid  the object
 * @param tid  the transaction that wrote this revision (the object's serial)
 * @param data the record's bytes; owned by the caller (a copy, never a view of storage memory)
 */
public record Revision(long oid, long tid, byte[] data) {
}
