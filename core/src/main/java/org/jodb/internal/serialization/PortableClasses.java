package org.jodb.internal.serialization;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.List;
import java.util.TimeZone;

/**
 * JDK classes whose name depends on the platform or on JDK internals ({@code sun.nio.fs.UnixPath} on
 * Linux, {@code sun.nio.fs.WindowsPath} on Windows, {@code sun.nio.cs.UTF_8},
 * {@code sun.util.calendar.ZoneInfo}) are stored under the public type whose serializer writes and reads
 * them ({@code Path} by its string, {@code Charset} by its name, {@code TimeZone} by its id), so that a
 * record written on one machine loads on another. Records written before this mapping name the internal
 * class and still load where that class exists.
 */
final class PortableClasses {
    /** Public types with a serializer of their own that rebuilds any implementation from its value. */
    private static final List<Class<?>> PUBLIC_TYPES = List.of(Path.class, Charset.class, TimeZone.class);

    private PortableClasses() {
    }

    /** The class to store {@code type} under: its public type if it is a JDK-internal implementation of one. */
    static Class<?> storedAs(Class<?> type) {
        return STORED_AS.get(type);
    }

    /** Asked for every new persistent object ({@code ClassNames.stableName}): worked out once per class. */
    private static final ClassValue<Class<?>> STORED_AS = new ClassValue<>() {
        @Override
        protected Class<?> computeValue(Class<?> type) {
            return publicTypeOf(type);
        }
    };

    private static Class<?> publicTypeOf(Class<?> type) {
        if (!isInternal(type)) {
            return type;
        }
        for (Class<?> publicType : PUBLIC_TYPES) {
            if (publicType.isAssignableFrom(type)) {
                return publicType;
            }
        }
        return type;
    }

    private static boolean isInternal(Class<?> type) {
        String name = type.getName();
        return UnreadableTypes.isJdk(type)
                && (name.startsWith("sun.") || name.startsWith("jdk.internal.") || name.startsWith("com.sun."));
    }
}
