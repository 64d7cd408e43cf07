package org.jodb.storage.internal.index;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says why Chronicle Map could not create an index file, and what to do, from the exception it threw: a
 * remedy that fits another cause sends users the wrong way.
 *
 * <p>Two causes are told apart. Chronicle Map compiles code at run time with the JDK's compiler, which
 * reads classes from the JVM's class path ({@code java.class.path}); where the application's dependencies
 * were loaded by a class loader of its own ({@code mvn exec:java} does this), the compiler misses them. The
 * compiler of JDK 17 gets by without them; JDK 25's fails on the first (Chronicle's classes carry
 * annotations of {@code org.jetbrains.annotations}). Anything else is the file: no disk space, or a
 * capacity too large to map.
 */
final class IndexCreationFailure {
    /** How javac names a class it could not find. */
    private static final Pattern MISSING_CLASS = Pattern.compile("class file for (\\S+) not found");

    private IndexCreationFailure() {
    }

    /** The message of the {@code StorageException} for a failure to create index file {@code file}. */
    static String message(Object file, Throwable failure) {
        String compiler = compilerProblem(failure);
        if (compiler != null) {
            return "cannot create the oid index " + file + ": Chronicle Map compiles code at run time, and the"
                    + " JDK's compiler " + compiler + ". The compiler looks for classes on the JVM's class path"
                    + " (java.class.path), so it misses dependencies that a class loader of the application's"
                    + " own loaded, as under mvn exec:java. Start a JVM with jodb and its dependencies on"
                    + " its class path instead: java -cp ..., mvn exec:exec with -classpath %classpath, or an"
                    + " IDE's run configuration (README, \"Embedding jodb\"). Cause: " + failure;
        }
        return "cannot create the oid index " + file + ": " + failure
                + ". Free disk space or lower StorageOptions.indexCapacity.";
    }

    /**
     * What the run-time compiler could not do ("did not find C"), or null when the failure does not come
     * from the compiler.
     */
    static String compilerProblem(Throwable failure) {
        boolean compiler = false;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Matcher m = MISSING_CLASS.matcher(String.valueOf(t.getMessage()));
            if (m.find()) {
                return "did not find " + m.group(1);
            }
            compiler |= t.getClass().getName().startsWith("com.sun.tools.javac.")
                    || t.getClass().getName().startsWith("net.openhft.compiler.");
        }
        return compiler ? "failed" : null;
    }
}
