package org.jodb.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The versions of the stores measured, as the build resolved them (a filtered resource). */
final class Versions {
    private static final Properties VERSIONS = load();

    private Versions() {
    }

    static String of(String artifact) {
        return VERSIONS.getProperty(artifact, "?");
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream("versions.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
