package org.jodb.internal.object;

import java.util.function.Function;

/**
 * A value per class computed at most once, however many threads ask for it at the same moment.
 *
 * <p>{@link ClassValue} alone is not enough when computing has a side effect: it may run
 * {@code computeValue} on several threads at once for one class and keep one result. Defining a proxy class
 * is such a side effect (the second definition fails, "Class already loaded"). Here the {@link ClassValue}
 * only hands out one slot per class (all racing threads get the slot that was kept), and the value is
 * computed under the slot's lock. A computation that throws records nothing: the next call tries again.
 *
 * <p>Thread-safe; reading a value already computed takes no lock.
 */
final class OncePerClass<T> {
    private final Function<Class<?>, T> compute;
    private final ClassValue<Slot<T>> slots = new ClassValue<>() {
        @Override
        protected Slot<T> computeValue(Class<?> type) {
            return new Slot<>(); // no side effect: a slot that loses the race is simply dropped
        }
    };

    /** @param compute makes the value of a class; called once per class while it returns normally */
    OncePerClass(Function<Class<?>, T> compute) {
        this.compute = compute;
    }

    T get(Class<?> type) {
        Slot<T> slot = slots.get(type);
        T value = slot.value;
        if (value != null) {
            return value;
        }
        synchronized (slot) {
            value = slot.value;
            if (value == null) {
                value = compute.apply(type);
                slot.value = value;
            }
            return value;
        }
    }

    /** The value of one class, once computed; its monitor guards the computation. */
    private static final class Slot<T> {
        volatile T value;
    }
}
