package org.jodb;

import java.lang.reflect.Modifier;
import java.util.Comparator;

/**
 * Which comparators a {@link PersistentTreeMap} or {@link PersistentTreeSet} can keep. The comparator is
 * stored in the tree's records, as a value, and must order the keys the same way in every later run of
 * the application: so it must be an instance of a class that has a stable name and no hidden state. That
 * is a top-level class or a static nested class (a record or an enum, say) whose fields, if any, jodb can
 * store as values, or the JDK's {@code Comparator.naturalOrder()} and {@code Comparator.reverseOrder()}.
 * Refused, when the tree is made: a lambda or method reference (its class exists only in the running
 * JVM), an anonymous or local class (its name is a position in the source, which changes when the code
 * does) and an inner class (it holds its enclosing instance); also every other comparator made by the
 * JDK ({@code Comparator.comparing(...)}, {@code thenComparing}, {@code String.CASE_INSENSITIVE_ORDER}),
 * which are lambdas or private classes of the JDK.
 */
final class StorableComparators {
    private static final Comparator<?> NATURAL = Comparator.naturalOrder();
    private static final Comparator<?> REVERSE = Comparator.reverseOrder();

    private StorableComparators() {
    }

    /**
     * The comparator as the application knows it: a reloaded {@code Comparator.reverseOrder()} is a new
     * instance of the JDK's class (its singleton is restored only by Java serialization), which compares
     * the same but is not equal to the JDK's own; this gives back the JDK's own.
     */
    static Comparator<?> canonical(Comparator<?> stored) {
        return stored != null && stored.getClass() == REVERSE.getClass() ? REVERSE : stored;
    }

    /** {@code comparator} itself when a tree can store it (null is natural order); else refuses it. */
    static Comparator<?> check(Comparator<?> comparator) {
        if (comparator == null || comparator == NATURAL) {
            return null; // natural order: nothing to store
        }
        if (comparator == REVERSE) {
            return comparator;
        }
        Class<?> type = comparator.getClass();
        String why = null;
        if (type.isSynthetic() || type.isHidden()) {
            why = "it is a lambda or method reference, whose class exists only in the running JVM";
        } else if (type.isAnonymousClass() || type.isLocalClass()) {
            why = "it is an instance of an anonymous or local class, whose name is a position in the source"
                    + " that changes when the code does";
        } else if (type.isMemberClass() && !Modifier.isStatic(type.getModifiers())) {
            why = "it is an instance of an inner class, which holds an instance of its enclosing class";
        } else if (type.getName().startsWith("java.") || type.getName().startsWith("jdk.")
                || type.getName().startsWith("sun.")) {
            why = "it is made by the JDK (" + type.getName() + "), whose classes jodb does not store";
        }
        if (why != null) {
            throw new IllegalArgumentException("a persistent tree cannot keep this comparator (" + comparator
                    + "): " + why + ". The comparator is stored with the tree and must order its keys the same way"
                    + " after a restart. Write a named class implementing Comparator (a top-level or static nested"
                    + " class, a record or an enum), or use natural order or Comparator.reverseOrder().");
        }
        return comparator;
    }
}
