package org.jodb.storage.index;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jodb.spi.StorageException;

/**
 * Chronicle Map needs four JVM flags on JDK 17+ and fails deep inside with obscure errors without them.
 * This checks them up front so that opening a store says exactly what to add.
 */
public final class ChronicleFlags {

    /** The flags, as they go on the {@code java} command line. */
    public static final List<String> REQUIRED = List.of(
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED");

    private ChronicleFlags() {
    }

    /** The required flags this JVM was started without. */
    public static List<String> missing() {
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
            throw new StorageException("jodb's file storage keeps its index in Chronicle Map, which needs these JVM"
                    + " flags on JDK 17+ (missing: " + String.join(" ", missing) + "). Start java with: "
                    + String.join(" ", REQUIRED) + " (and a full JDK: Chronicle compiles code at run time).");
        }
    }
}
