package org.jodb.internal.object;

import net.bytebuddy.asm.Advice;

/**
 * The advice of a proxy method that takes a parameter which could hold another instance of the same
 * class ({@code equals(Object)}, {@code compareTo(T)}, {@code transferTo(Account)}): besides what
 * {@link ProxyAdvice} does for {@code this}, it loads and touches every persistent argument, because code
 * of a class may read and write the private fields of another instance directly, and those reads bypass
 * the other instance's proxy (a ghost's fields are empty until something loads them). Touched, not only
 * loaded, so that a direct write to the argument's fields is found at the next savepoint or commit too.
 *
 * <p>Only arguments of the same connection as {@code this} are touched (an object of another connection
 * is misuse, reported when it is referenced from stored state). Only such methods get this advice: the
 * others keep the cheaper {@link ProxyAdvice}.
 */
public final class ArgumentsAdvice {
    private ArgumentsAdvice() {
    }

    @Advice.OnMethodEnter
    public static ObjectState enter(@Advice.This Object self, @Advice.AllArguments Object[] args) {
        ObjectState state = ProxyAdvice.enter(self); // what every proxy method does for this
        for (Object arg : args) {
            if (arg != self && arg instanceof PersistentObject p) {
                ObjectState other = p.$jodbState();
                // public accessors only: this code is inlined into proxies of other packages
                if (other != null && (state == null || other.sameConnectionAs(state))) {
                    other.beforeCall();
                }
            }
        }
        return state;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    public static void exit(@Advice.Enter ObjectState state) {
        ProxyAdvice.exit(state);
    }
}
