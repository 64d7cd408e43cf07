package org.jodb.doctest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The runnable jar must start with a plain {@code java -jar}: its manifest carries, as {@code Add-Opens}
 * and {@code Add-Exports}, exactly the Chronicle Map flags the build gives the tests ({@code jodb.jvm.flags}
 * in the parent pom), and, as {@code Enable-Native-Access}, the one flag of JDK 24 and later that a manifest
 * can carry ({@code jodb.jvm.flags.jdk24}). The jar is made after the tests, so this compares the two poms.
 */
class ManifestFlagsTest {

    private static String element(String xml, String name) {
        Matcher m = Pattern.compile("<" + name + ">([^<]*)</" + name + ">").matcher(xml);
        assertTrue(m.find(), "no <" + name + "> element");
        return m.group(1).strip();
    }

    private static Set<String> flags(String jvmFlags, String option) {
        Matcher m = Pattern.compile("--" + option + "=(\\S+)=ALL-UNNAMED").matcher(jvmFlags);
        Set<String> packages = new TreeSet<>();
        while (m.find()) {
            packages.add(m.group(1));
        }
        return packages;
    }

    private static Set<String> manifest(String value) {
        return Arrays.stream(value.split("\\s+")).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void theJarManifestOpensAndExportsWhatTheBuildsJvmFlagsDo() throws Exception {
        String parent = Files.readString(Path.of("..", "pom.xml"));
        String module = Files.readString(Path.of("pom.xml"));
        String jvmFlags = element(parent, "jodb.jvm.flags");

        Set<String> opens = flags(jvmFlags, "add-opens");
        Set<String> exports = flags(jvmFlags, "add-exports");
        assertTrue(opens.contains("java.base/java.lang") && exports.contains("java.base/sun.nio.ch"), jvmFlags);
        assertEquals(opens, manifest(element(module, "Add-Opens")));
        assertEquals(exports, manifest(element(module, "Add-Exports")));
        assertEquals("org.jodb.doctest.Main", element(module, "mainClass"));
    }

    @Test
    void theJarManifestEnablesTheNativeAccessThatJdk24AndLaterAskFor() throws Exception {
        String parent = Files.readString(Path.of("..", "pom.xml"));
        String module = Files.readString(Path.of("pom.xml"));
        Matcher profile = Pattern.compile("<jodb\\.jvm\\.flags\\.jdk24>(--[^<]+)</jodb\\.jvm\\.flags\\.jdk24>")
                .matcher(parent);
        assertTrue(profile.find(), "the parent pom's profile for JDK 24+ sets jodb.jvm.flags.jdk24");
        assertTrue(profile.group(1).contains("--enable-native-access=ALL-UNNAMED"), profile.group(1));
        assertEquals("ALL-UNNAMED", element(module, "Enable-Native-Access"));
    }
}
