package org.jodb.internal.serialization;

import org.jodb.UnsupportedClassException;

/**
 * The refusals of values whose state is a JDK class's private fields (a {@code Thread}, a lock, a logger, a
 * class loader): their messages name the class the application chose to store, never a private field of
 * the JDK.
 *
 * <p>Why: which private field fails first depends on the JDK (JDK 17 meets {@code Thread.group} first,
 * JDK 25 {@code Thread.contextClassLoader}), and on the {@code --add-opens} flags the JVM was started with.
 * A message must read the same on every JDK and with every flag, and name what the application can
 * change: the field that holds the value (the caller's message names it) and the type it refused. The
 * details stay in the exception's cause.
 */
final class JdkStateRefusals {
    /** The remedy of every refusal of a value that is not data. */
    static final String NOT_DATA = "a thread, a lock, a logger, a class loader or a random generator is not"
            + " data: make the field that holds it static or transient; store a type of your own or one jodb"
            + " knows (plain collections, maps, records, strings, numbers, java.time)";

    private JdkStateRefusals() {
    }

    /**
     * JDK class {@code jdkType} has no serializer of jodb's, and its fields could not be written (or made
     * accessible): whichever field failed, the refusal names {@code jdkType}.
     */
    static UnsupportedClassException jdkClass(Class<?> jdkType, Throwable cause) {
        return new UnsupportedClassException("jodb cannot store a " + jdkType.getName() + ": jodb has no"
                + " serializer for this JDK class, and its private fields hold what jodb cannot store (the"
                + " exception's cause says which); " + NOT_DATA, cause);
    }

    /**
     * The application's class {@code type} inherits private fields from a JDK class that jodb cannot store
     * (or that the JDK keeps closed to it): the refusal names {@code type} and its nearest JDK superclass,
     * which its declaration fixes, not the field, which the JDK's version decides.
     */
    static UnsupportedClassException jdkSuperclass(Class<?> type, Throwable cause) {
        Class<?> jdk = type.getSuperclass();
        while (!UnreadableTypes.isJdk(jdk)) { // ends at the latest at the class that declares the field
            jdk = jdk.getSuperclass();
        }
        return new UnsupportedClassException("jodb cannot store a " + type.getName() + ": it extends the JDK"
                + " class " + jdk.getName() + ", whose private fields jodb cannot store (the exception's cause"
                + " says which); " + NOT_DATA, cause);
    }
}
