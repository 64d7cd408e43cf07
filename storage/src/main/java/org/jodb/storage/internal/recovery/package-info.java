/**
 * Internal to jodb's file storage, with no compatibility promise: any type here may change or go in any
 * release. Public only because {@code org.jodb.storage} uses it.
 *
 * <p>What opening a store does before it is used (storage/FORMAT.md 8): completing a pack that committed before a
 * crash ({@link org.jodb.storage.internal.recovery.PackCommit}), and recovering the log
 * ({@link org.jodb.storage.internal.recovery.LogRecovery}): checking its segments, replaying its transactions
 * into the index, and telling a torn last write, which is cut, from damage of committed bytes, which is refused.
 */
package org.jodb.storage.internal.recovery;
