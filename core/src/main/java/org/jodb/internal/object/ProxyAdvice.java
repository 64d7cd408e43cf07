package org.jodb.internal.object;

import net.bytebuddy.asm.Advice;

/**
 * The code Byte Buddy inlines around every overridable method of a proxy: at the start, refuse a call from
 * a thread other than the one the object's connection serves, load a ghost, mark the object touched and
 * count the call; at the end, however it ends, uncount it. Inlined (not delegated),
 * so that after JIT compilation a call costs a few field reads and writes more than a plain call. The count
 * tells a savepoint that the method is still running and may change the object's fields after it (see
 * {@link ObjectState#callStarted}).
 */
public final class ProxyAdvice {
    private ProxyAdvice() {
    }

    @Advice.OnMethodEnter
    public static ObjectState enter(@Advice.This Object self) {
        ObjectState state = ((PersistentObject) self).$jodbState();
        if (state != null) {
            state.beforeCall();
            state.callStarted();
        }
        return state;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    public static void exit(@Advice.Enter ObjectState state) {
        if (state != null) {
            state.callEnded();
        }
    }
}
