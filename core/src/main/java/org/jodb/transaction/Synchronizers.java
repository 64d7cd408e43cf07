package org.jodb.transaction;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * The synchronizers of one manager, held weakly: registering must not keep a synchronizer alive, because
 * a live connection pins its whole object cache and applications often forget to close connections.
 * Shared by the manager and its transactions, so that a transaction also tells synchronizers registered
 * after it began. Not thread-safe: used by the manager's thread.
 */
final class Synchronizers {

    /** Registered synchronizers, each once (by identity), in registration order; cleared ones pruned lazily. */
    private final List<WeakReference<Synchronizer>> refs = new ArrayList<>();

    void add(Synchronizer synchronizer) {
        if (!contains(synchronizer)) {
            refs.add(new WeakReference<>(synchronizer));
        }
    }

    void remove(Synchronizer synchronizer) {
        refs.removeIf(ref -> ref.get() == null || ref.get() == synchronizer);
    }

    boolean contains(Synchronizer synchronizer) {
        for (Synchronizer s : live()) {
            if (s == synchronizer) {
                return true;
            }
        }
        return false;
    }

    /** A snapshot of the live synchronizers: callbacks may register or unregister while it is walked. */
    List<Synchronizer> live() {
        refs.removeIf(ref -> ref.get() == null);
        List<Synchronizer> live = new ArrayList<>(refs.size());
        for (WeakReference<Synchronizer> ref : refs) {
            Synchronizer s = ref.get();
            if (s != null) {
                live.add(s);
            }
        }
        return live;
    }
}
