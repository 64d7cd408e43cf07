/**
 * Internal to jodb's file storage, with no compatibility promise: any type here may change or go in any
 * release. Public only because {@code org.jodb.storage} and its other internal packages use it.
 *
 * <p>The log: the bytes of segment files and transaction records ({@link org.jodb.storage.internal.log.LogLayout},
 * as storage/FORMAT.md defines them), positions in the log ({@link org.jodb.storage.internal.log.LogPosition}),
 * memory-mapped segments ({@link org.jodb.storage.internal.log.Segment}), checked views of records
 * ({@link org.jodb.storage.internal.log.TransactionView}, {@link org.jodb.storage.internal.log.RevisionView}), and
 * the append-only {@link org.jodb.storage.internal.log.Log} with its group commit. It knows bytes, offsets and
 * checksums, nothing of the index or of recovery.
 */
package org.jodb.storage.internal.log;
