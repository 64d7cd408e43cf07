package org.jodb.storage.internal.index;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jodb.spi.StorageException;

/**
 * Chronicle Map needs four JVM flags on JDK 17+ and fails deep inside with obscure errors without them.
 * This checks them up front so that opening a store says exactly what to add (on JDK 24 and later, with the
 * two that keep the JVM from warning about Chronicle).
 */
public final class ChronicleFlags {

    /** The flags, as they go on the {@code java} command line. */
    public static final List<String> REQUIRED = List.of(
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED");

    /**
     * What JDK 24 and later need beyond {@link #REQUIRED}: not to fail, but to print no warning when Chronicle
     * loads native code and uses {@code sun.misc.Unsafe}'s memory access. JDK 17 refuses the second.
     */
    public static final List<String> JDK24 = List.of(
            "--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow");

    private ChronicleFlags() {
    }

    /** The required flags this JVM was started without. */
    static List<String> missing() {
        Module me = ChronicleFlags.class.getModule();
        List<String> missing = new ArrayList<>();
        Module base = Object.class.getModule();
        if (!base.isOpen("java.lang", me)) {
            missing.add(REQUIRED.get(0));
        }
        if (!base.isOpen("java.lang.reflect", me)) {
            missing.add(REQUIRED.get(1));
        }
        if (!base.isExported("sun.nio.ch", me)) {
            missing.add(REQUIRED.get(2));
        }
        Optional<Module> compiler = ModuleLayer.boot().findModule("jdk.compiler");
        if (compiler.isEmpty() || !compiler.get().isExported("com.sun.tools.javac.file", me)) {
            missing.add(REQUIRED.get(3));
        }
        return missing;
    }

    /** Throws a {@link StorageException} listing every missing flag. */
    public static void require() {
        List<String> missing = missing();
        if (!missing.isEmpty()) {
            throw new StorageException(message(missing, Runtime.version().feature()));
        }
    }

    /** The refusal for {@code missing} flags on JDK {@code feature}. */
    static String message(List<String> missing, int feature) {
        return "jodb's file storage keeps its index in Chronicle Map, which needs these JVM flags on JDK 17+"
                + " (missing: " + String.join(" ", missing) + "). Start java with: " + String.join(" ", REQUIRED)
                + (feature >= 24 ? " " + String.join(" ", JDK24) + " (the last two keep JDK " + feature
                + " from warning about Chronicle's native access and sun.misc.Unsafe)" : "")
                + " (and a full JDK: Chronicle compiles code at run time).";
    }
}
