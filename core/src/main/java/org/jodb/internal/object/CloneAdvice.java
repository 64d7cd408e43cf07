package org.jodb.internal.object;

import net.bytebuddy.asm.Advice;

/**
 * The advice of a proxy's {@code clone()} (the user's override, or {@code Object.clone} when the class
 * declares none): besides what {@link ProxyAdvice} does, it gives the copy a state of its own. Without it,
 * {@code Object.clone} copies the proxy's state field too, so the copy would share the original's oid and
 * bookkeeping: stored under the root it would be written as a reference to the original, and its own
 * changes lost. The copy is a new object of the same connection, stored when it is reachable at commit,
 * like one made by {@code Connection.create} (a copy of a ZODB object has no {@code _p_oid} either).
 */
public final class CloneAdvice {
    private CloneAdvice() {
    }

    @Advice.OnMethodEnter
    public static ObjectState enter(@Advice.This Object self) {
        return ProxyAdvice.enter(self); // loads a ghost first: the copy gets the loaded fields
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    public static void exit(@Advice.Enter ObjectState state, @Advice.Return Object copy) {
        ProxyAdvice.exit(state);
        if (state != null) {
            state.cloned(copy); // public: this code is inlined into proxies of other packages
        }
    }
}
