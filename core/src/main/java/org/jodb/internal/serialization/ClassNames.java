package org.jodb.internal.serialization;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps classes to the stable names stored in a database and back.
 *
 * <p>A stable name is {@link Class#getName()}, with two exceptions. A JDK-internal class of a public type
 * that has a serializer of its own is stored under that type ({@link PortableClasses}). A class declared in
 * a JShell session: JShell wraps each snippet's declarations in a generated class
 * ({@code REPL.$JShell$12$Account}); such a class is stored under its declared name ({@code Account}), so
 * that a class redefined in a later snippet still loads the records written with the earlier definition.
 *
 * <p>Resolution of a stored name, in order: the renames given when the database was opened; the thread's
 * context class loader; jodb's own class loader; the class most recently seen by jodb under that stable
 * name (this is how JShell classes are found).
 *
 * <p>Thread-safe.
 */
public final class ClassNames {

    /** JShell's wrapper: package {@code REPL}, then {@code $JShell$<n>$} before the declared name. */
    private static final Pattern JSHELL = Pattern.compile("^REPL\\.\\$JShell\\$\\d+[A-Z]?\\$(.+)$");

    private static final Pattern JSHELL_PARTS = Pattern.compile("^REPL\\.\\$JShell\\$(\\d+)([A-Z]?)\\$(.+)$");

    /**
     * Classes seen by any database in this JVM, by stable name; the newest definition wins. Held weakly:
     * a discarded class loader (a closed JShell session, an undeployed plugin) must not be pinned.
     */
    private static final Map<String, WeakReference<Class<?>>> SEEN = new ConcurrentHashMap<>();

    private static final ClassValue<String> STABLE = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            String name = type.getName();
            Matcher m = JSHELL.matcher(name);
            return m.matches() ? m.group(1) : name;
        }
    };

    /** Bumped whenever a stable name gets a new class (a JShell redefinition); caches check it. */
    private static volatile int epoch;

    private final Map<String, String> renames;

    /**
     * @param renames stored name → the name of the class to load instead (a class that was renamed or
     *                moved since its records were written)
     */
    public ClassNames(Map<String, String> renames) {
        this.renames = Map.copyOf(renames);
    }

    /** The name under which {@code type} is stored; remembers {@code type} for {@link #resolve}. */
    public static String stableName(Class<?> type) {
        type = PortableClasses.storedAs(type); // sun.nio.fs.UnixPath is stored as java.nio.file.Path
        String name = STABLE.get(type);
        if (seen(name) != type) {
            WeakReference<Class<?>> replaced = SEEN.put(name, new WeakReference<>(type));
            Class<?> before = replaced == null ? null : replaced.get();
            // threads meeting a class first at the same moment all put it: only another class is news
            if (before != null && before != type) {
                epoch++;
            }
        }
        return name;
    }

    private static Class<?> seen(String name) {
        WeakReference<Class<?>> ref = SEEN.get(name);
        return ref == null ? null : ref.get();
    }

    /** True for a class JShell generated; its newest definition can change at any snippet. */
    public static boolean isJShellClass(Class<?> type) {
        return JSHELL.matcher(type.getName()).matches();
    }

    /**
     * JShell names a redefinition of a class after the first one with the next letter
     * ({@code $JShell$3$Note}, then {@code $JShell$3B$Note}, ...): load the newest that exists, so that a
     * class redefined in a later snippet loads the records written with an earlier definition.
     */
    private static Class<?> newestJShellDefinition(String stableName, Class<?> seen) {
        Matcher m = JSHELL_PARTS.matcher(seen.getName());
        if (!m.matches()) {
            return seen;
        }
        Class<?> newest = seen;
        char letter = m.group(2).isEmpty() ? 'A' : m.group(2).charAt(0);
        for (char next = (char) (letter + 1); next <= 'Z'; next++) {
            try {
                newest = Class.forName("REPL.$JShell$" + m.group(1) + next + "$" + m.group(3), false,
                        seen.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                break;
            }
        }
        if (newest != seen) {
            stableName(newest);
        }
        return newest;
    }

    /** Changes whenever a resolution made earlier may have become stale. */
    public static int epoch() {
        return epoch;
    }

    /**
     * The class for a stored name.
     *
     * @throws UnknownClassException when no class loader knows it
     */
    public Class<?> resolve(String storedName) {
        Objects.requireNonNull(storedName, "storedName");
        String name = renames.getOrDefault(storedName, storedName);
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null) {
            try {
                return Class.forName(name, false, context);
            } catch (ClassNotFoundException | LinkageError ignored) {
                // fall through to jodb's own loader
            }
        }
        try {
            return Class.forName(name, false, ClassNames.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            Class<?> seen = seen(name);
            if (seen != null) {
                return newestJShellDefinition(name, seen);
            }
            throw new UnknownClassException(storedName, name.equals(storedName) ? null : name, e);
        }
    }
}
