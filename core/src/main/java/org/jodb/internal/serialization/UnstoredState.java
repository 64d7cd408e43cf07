package org.jodb.internal.serialization;

import java.io.Externalizable;
import java.io.ObjectOutput;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the state of a user class that jodb's field-by-field records would not hold, so that such a class
 * is refused when it is written instead of loading without that state after a reopen:
 * <ul>
 * <li>the hidden fields of an inner, local or anonymous class ({@code this$0}, the enclosing instance;
 * {@code val$name}, a captured variable), which the compiler marks synthetic and jodb does not store;</li>
 * <li>transient fields of a class that writes them by hand for Java serialization ({@code writeObject} or
 * {@code writeExternal}): jodb never stores transient fields and never calls those methods. Only classes of
 * the application count: a JDK superclass such as {@code Throwable} has transient fields of its own that
 * need no storing.</li>
 * </ul>
 * Stateless.
 */
public final class UnstoredState {
    private UnstoredState() {
    }

    /**
     * Why instances of {@code type} would lose state when stored field by field, with the remedy (a clause
     * starting "it ..."); null when they would not.
     */
    public static String problem(Class<?> type) {
        List<String> hidden = new ArrayList<>();
        List<String> transients = new ArrayList<>();
        String writer = null;
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            boolean jdk = UnreadableTypes.isJdk(c); // a JDK superclass (Throwable) rebuilds its own transients
            for (Field f : c.getDeclaredFields()) {
                int m = f.getModifiers();
                if (Modifier.isStatic(m)) {
                    continue;
                }
                if (f.isSynthetic() && (f.getName().startsWith("this$") || f.getName().startsWith("val$"))) {
                    hidden.add(f.getName()); // javac's names; other compilers' synthetic fields are theirs
                } else if (f.isSynthetic()) {
                    continue;
                } else if (!jdk && Modifier.isTransient(m) && !f.getName().startsWith("$jodb")) {
                    transients.add(c.getSimpleName() + "." + f.getName());
                }
            }
            if (writer == null && !jdk) {
                writer = handWriter(c);
            }
        }
        if (!hidden.isEmpty()) {
            return "it is an inner, local or anonymous class: its enclosing instance or the"
                    + " variables it captured (" + String.join(", ", hidden) + ") are not stored, so it would"
                    + " load without them; make it a static nested or top-level class that keeps what it needs"
                    + " in fields of its own";
        }
        if (writer != null && !transients.isEmpty()) {
            return "it writes its transient fields (" + String.join(", ", transients) + ") by"
                    + " hand in " + writer + " for Java serialization, which jodb does not use: jodb stores"
                    + " fields and never transient ones, so they would load empty; make the fields that hold"
                    + " its state non-transient (jodb needs no Serializable), or, if they only cache values"
                    + " derived from the others (jodb resets them on load), remove " + writer;
        }
        return null;
    }

    /** The Java serialization method of {@code c} that writes state by hand, or null. */
    private static String handWriter(Class<?> c) {
        if (Externalizable.class.isAssignableFrom(c) && declares(c, "writeExternal", ObjectOutput.class)) {
            return c.getSimpleName() + ".writeExternal";
        }
        if (Serializable.class.isAssignableFrom(c) && declares(c, "writeObject", ObjectOutputStream.class)) {
            return c.getSimpleName() + ".writeObject";
        }
        return null;
    }

    private static boolean declares(Class<?> c, String name, Class<?> parameter) {
        try {
            Method m = c.getDeclaredMethod(name, parameter);
            return !Modifier.isStatic(m.getModifiers());
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
