package org.jodb.internal.serialization;

import java.lang.ref.WeakReference;

/**
 * Warns, once per class, when a plain instance of a class that is also used as a persistent class is
 * written as a value. {@code new Book(...)} put under the root is stored inside the root's record, a copy
 * with no oid of its own, while the {@code Book}s made by {@code Connection.create} are persistent objects:
 * the same class, two behaviours, and a new user rarely means the copy (a later change to it is not
 * tracked, and two holders of it load two copies). Where a copy is meant, a value type of its own (a
 * record) says so; where it is not, the remedy is {@code create}.
 *
 * <p>A class counts as persistent once this codec has seen it as one: made by {@code Connection.create},
 * or a persistent instance of it written or loaded. A plain instance written before that is not reported.
 * A warning, not a refusal: records holding such copies stay writable, and a class used both ways on
 * purpose keeps working. Thread-safe: the per-class flags are set racily, which at worst says it twice.
 */
final class ValueCopies {
    private static final System.Logger LOG = System.getLogger(ValueCopies.class.getName());
    /** Index 0 of a class's flags: used as a persistent class. */
    static final int PERSISTENT = 0;
    /** Index 1 of a class's flags: the warning was given. */
    static final int WARNED = 1;

    /** Per class, {@link #PERSISTENT} and {@link #WARNED}. A ClassValue, so that no class is held for good. */
    private final ClassValue<boolean[]> flags = new ClassValue<>() {
        @Override
        protected boolean[] computeValue(Class<?> type) {
            return new boolean[2];
        }
    };

    /**
     * The class {@link #persistent} flagged last (weakly, so that no class is held for good): a run of calls for
     * one class skips the class-value lookup, which in a bulk insert took its slow path (the user class carries
     * jodb's other class values too). Set racily, like the flags: a stale one costs one lookup.
     */
    private volatile WeakReference<Class<?>> lastPersistent = new WeakReference<>(null);

    /** The flags of {@code type}, for a value serializer to keep and test on each write. */
    boolean[] flags(Class<?> type) {
        return flags.get(type);
    }

    /** {@code userClass} is used as a persistent class (it has a proxy). */
    void persistent(Class<?> userClass) {
        if (lastPersistent.get() == userClass) {
            return; // every object made and every proxy written passes here, nearly always of one class in a run
        }
        boolean[] f = flags.get(userClass);
        if (!f[PERSISTENT]) {
            f[PERSISTENT] = true;
        }
        lastPersistent = new WeakReference<>(userClass);
    }

    /** Called when a plain instance of the class of {@code f} is written as a value and the class is persistent. */
    static void warnOnce(Class<?> type, boolean[] f) {
        if (f[WARNED]) {
            return;
        }
        f[WARNED] = true;
        LOG.log(System.Logger.Level.WARNING, "a plain " + type.getName() + " (made with new, not by"
                + " Connection.create) is stored as a value: a copy inside the record of the object that holds it,"
                + " with no oid of its own, while other " + type.getSimpleName() + " objects are persistent objects"
                + " made by Connection.create. A change to the copy after it is loaded again is not seen by other"
                + " holders, and Persistence.oid of it is empty. If it should be persistent, make it with"
                + " connection.create(" + type.getSimpleName() + ".class, ...); if a copy is meant, store a value"
                + " type of its own (a record). Said once per class.");
    }
}
