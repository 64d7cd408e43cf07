package org.jodb.object;

import net.bytebuddy.asm.Advice;

/**
 * The code Byte Buddy inlines at the start of every overridable method of a proxy: load a ghost, mark the
 * object touched. Inlined (not delegated), so that after JIT compilation a call costs a field read and a
 * compare more than a plain call.
 */
public final class ProxyAdvice {
    private ProxyAdvice() {
    }

    @Advice.OnMethodEnter
    public static void enter(@Advice.This Object self) {
        ObjectState state = ((PersistentObject) self).$jodbState();
        if (state != null) {
            state.beforeCall();
        }
    }
}
