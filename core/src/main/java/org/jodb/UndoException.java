package org.jodb;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jodb.transaction.TransactionException;

/**
 * {@link Database#undo(long)} cannot undo a transaction, and wrote nothing: the tid names no transaction the
 * storage holds, a pack removed the states it had before it, or a later transaction changed some of its
 * objects in a way that cannot be merged with the undo (for {@link PersistentMap} and the B-trees, a change to
 * other keys merges; a change to the same key does not). The message names the transaction, each object that
 * blocks the undo with its class and the later transaction, and the remedy. Unlike a {@link ConflictException}
 * it is not retryable: the same undo fails again until the later change is itself undone or changed back.
 *
 * <p>Immutable and thread-safe, like every jodb exception: it may be handed to another thread.
 */
public class UndoException extends TransactionException {
    private final long tid;
    private final Map<Long, Long> laterChanges;

    /** The undo of transaction {@code tid} failed for a reason {@code message} explains (names the remedy). */
    public UndoException(long tid, String message) {
        this(tid, Map.of(), message);
    }

    /**
     * The undo of transaction {@code tid} failed because later transactions changed objects it wrote:
     * {@code laterChanges} maps each such oid to the tid of the transaction whose revision of it is current (0
     * when the object no longer exists); {@code message} names them and the remedy.
     */
    public UndoException(long tid, Map<Long, Long> laterChanges, String message) {
        super(message);
        this.tid = tid;
        this.laterChanges = Collections.unmodifiableMap(new LinkedHashMap<>(laterChanges));
    }

    /** The transaction that was to be undone. */
    public long tid() {
        return tid;
    }

    /**
     * The objects that blocked the undo: oid to the tid of the later transaction whose revision of it is current
     * (0 when the object no longer exists), in the order the undone transaction wrote them; empty when the undo
     * failed for another reason.
     */
    public Map<Long, Long> laterChanges() {
        return laterChanges;
    }
}
