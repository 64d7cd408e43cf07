package org.jodb.doctest;

import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jodb.Database;
import org.jodb.spi.Storage;
import org.jodb.storage.MappedFileStorage;

/**
 * What a scenario file's variables still hold when the file ends (JShell keeps variables, {@code $1}
 * values included, as static fields of its wrapper classes): open databases and storages, and paths.
 *
 * <p>Why: a file that fails before its {@code db.close()} would keep its store open for the rest of the
 * run (memory maps, the in-process lock on the store's directory), and a later file opening the same
 * store would fail for a reason that is not its own. {@link #close()} closes them (closing a closed one
 * does nothing); {@link #paths()} are the candidates for {@link TemporaryFiles#deleteNew}.
 */
final class Leftovers {

    /** JShell's top-level wrapper classes, which hold the snippets' variables. */
    private static final Pattern WRAPPER = Pattern.compile(ScenarioShell.WRAPPER);

    private final Map<Object, String> databases = new IdentityHashMap<>();
    private final Map<Object, String> storages = new IdentityHashMap<>();
    private final Set<Path> paths = new LinkedHashSet<>();

    /** Reads the variables of the wrapper classes among {@code snippetClasses}. */
    Leftovers(Collection<Class<?>> snippetClasses) {
        for (Class<?> type : snippetClasses) {
            if (!WRAPPER.matcher(type.getName()).matches()) {
                continue; // a class the scenario declared: reading its statics could run its initializer
            }
            for (Field field : type.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers()) || field.getType().isPrimitive()) {
                    continue;
                }
                try {
                    field.setAccessible(true);
                    note(field.getName(), field.get(null));
                } catch (RuntimeException | IllegalAccessException | LinkageError e) {
                    // not readable: nothing to clean up through it
                }
            }
        }
    }

    private void note(String name, Object value) {
        if (value instanceof Database) {
            databases.put(value, name);
            note(name, ((Database) value).storage());
        } else if (value instanceof Storage) {
            storages.put(value, name);
            if (value instanceof MappedFileStorage) {
                paths.add(((MappedFileStorage) value).directory());
            }
        } else if (value instanceof Path) {
            paths.add((Path) value);
        } else if (value instanceof File) {
            paths.add(((File) value).toPath());
        }
    }

    /** Closes the databases, then the storages. @return a description of each that failed to close */
    List<String> close() {
        List<String> failures = new ArrayList<>();
        closeAll(databases, failures);
        closeAll(storages, failures); // a storage opened without a Database
        return failures;
    }

    Set<Path> paths() {
        return paths;
    }

    private static void closeAll(Map<Object, String> open, List<String> failures) {
        open.forEach((value, name) -> {
            try {
                ((AutoCloseable) value).close();
            } catch (Exception | LinkageError e) {
                failures.add("closing " + name + ": " + e);
            }
        });
    }
}
