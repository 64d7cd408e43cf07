package org.jodb.doctest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ARCHITECTURE.md stays true: every class and method its walks name exists, and its list of public types
 * is exactly the public top-level types of core and storage, package by package.
 */
class ArchitectureDocTest {
    /** {@code Class} or {@code Class.method} in backticks, optionally with {@code ()}. */
    private static final Pattern CODE_NAME = Pattern.compile("`([A-Z][A-Za-z0-9]*)(?:\\.([a-z][A-Za-z0-9]*))?(?:\\(\\))?`");
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "^public\\s+(?:(?:final|abstract|sealed|non-sealed|static)\\s+)*(?:class|interface|enum|record|@interface)\\s+([A-Za-z0-9_]+)",
            Pattern.MULTILINE);
    private static final Pattern PACKAGE_HEADING = Pattern.compile("^###.*`(org\\.jodb[a-z.]*)`");
    private static final List<String> MODULES_WITH_PUBLIC_TYPES = List.of("core", "storage");
    private static final List<String> MODULES = List.of("core", "storage", "postgres", "cli", "doctests", "bench");
    private static final int MAX_LINES = 500;

    private static Path root;
    private static String doc;
    /** Simple name → source files of main code with that name. */
    private static final Map<String, List<Path>> SOURCES = new TreeMap<>();

    @BeforeAll
    static void read() throws IOException {
        root = Path.of("..").toAbsolutePath().normalize();
        Path file = root.resolve("ARCHITECTURE.md");
        assertTrue(Files.isRegularFile(file), "run from the doctests module of the repository: " + file);
        doc = Files.readString(file);
        for (String module : MODULES) {
            Path main = root.resolve(module).resolve("src/main/java");
            try (Stream<Path> files = Files.walk(main)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String name = f.getFileName().toString().replace(".java", "");
                    SOURCES.computeIfAbsent(name, k -> new ArrayList<>()).add(f);
                }
            }
        }
    }

    @Test
    void everyClassAndMethodTheWalksNameExists() throws IOException {
        List<String> missing = new ArrayList<>();
        int checked = 0;
        Matcher m = CODE_NAME.matcher(walks());
        while (m.find()) {
            String type = m.group(1);
            String method = m.group(2);
            List<Path> files = SOURCES.get(type);
            if (files == null) {
                if (!isJdkType(type)) {
                    missing.add(m.group() + ": no main source file " + type + ".java");
                }
                continue;
            }
            checked++;
            if (method != null && !declares(files, method)) {
                missing.add(m.group() + ": " + type + " has no method " + method);
            }
        }
        assertEquals(List.of(), missing);
        assertTrue(checked >= 20, "the walks name " + checked + " classes of jodb; expected the commit, load,"
                + " savepoint and rollback walks to name at least 20");
    }

    @Test
    void thePublicTypesListedAreExactlyThePublicTypes() throws IOException {
        Map<String, Set<String>> listed = listedPublicTypes();
        Map<String, Set<String>> actual = new TreeMap<>();
        for (String module : MODULES_WITH_PUBLIC_TYPES) {
            Path main = root.resolve(module).resolve("src/main/java");
            try (Stream<Path> files = Files.walk(main)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = PUBLIC_TYPE.matcher(Files.readString(f));
                    if (m.find()) {
                        String pkg = main.relativize(f.getParent()).toString().replace('/', '.').replace('\\', '.');
                        actual.computeIfAbsent(pkg, k -> new TreeSet<>()).add(m.group(1));
                    }
                }
            }
        }
        assertEquals(actual, listed, "ARCHITECTURE.md's \"Public types\" must list every public type of core"
                + " and storage under its package's heading, and nothing else");
    }

    /**
     * Small files with one job: a main source file over {@value #MAX_LINES} lines must say why in its first
     * comment, with the words "longer than".
     */
    @Test
    void noMainSourceFileIsLongWithoutSayingWhy() throws IOException {
        List<String> long_ = new ArrayList<>();
        for (List<Path> files : SOURCES.values()) {
            for (Path f : files) {
                List<String> lines = Files.readAllLines(f);
                if (lines.size() > MAX_LINES && !firstComment(lines).contains("longer than")) {
                    long_.add(root.relativize(f) + ": " + lines.size() + " lines");
                }
            }
        }
        assertEquals(List.of(), long_, "split these by role, or say in the first comment why one is longer than "
                + MAX_LINES + " lines");
    }

    private static String firstComment(List<String> lines) {
        StringBuilder comment = new StringBuilder();
        boolean in = false;
        for (String line : lines) {
            if (!in && line.strip().startsWith("/*")) {
                in = true;
            }
            if (in) {
                comment.append(line).append('\n');
                if (line.contains("*/")) {
                    break;
                }
            }
        }
        return comment.toString();
    }

    private static String walks() {
        int start = doc.indexOf("\n## Walks");
        assertTrue(start >= 0, "ARCHITECTURE.md has a section \"## Walks\"");
        int end = doc.indexOf("\n## ", start + 1);
        return end < 0 ? doc.substring(start) : doc.substring(start, end);
    }

    private static Map<String, Set<String>> listedPublicTypes() {
        int start = doc.indexOf("\n## Public types");
        assertTrue(start >= 0, "ARCHITECTURE.md has a section \"## Public types\"");
        int end = doc.indexOf("\n## ", start + 1);
        String section = end < 0 ? doc.substring(start) : doc.substring(start, end);
        Map<String, Set<String>> listed = new TreeMap<>();
        String pkg = null;
        for (String line : section.split("\n")) {
            Matcher heading = PACKAGE_HEADING.matcher(line);
            if (heading.find()) {
                pkg = heading.group(1);
                listed.computeIfAbsent(pkg, k -> new TreeSet<>());
                continue;
            }
            if (pkg == null) {
                continue;
            }
            Matcher m = CODE_NAME.matcher(line);
            while (m.find()) {
                if (m.group(2) == null) {
                    listed.get(pkg).add(m.group(1));
                }
            }
        }
        return listed;
    }

    private static boolean declares(List<Path> files, String method) throws IOException {
        // a declaration: the name after a type or modifier (a call follows a dot or an opening parenthesis)
        Pattern declaration = Pattern.compile("[\\w>\\]]\\s+" + Pattern.quote(method) + "\\s*\\(");
        for (Path f : files) {
            if (declaration.matcher(Files.readString(f)).find()) {
                return true;
            }
        }
        return false;
    }

    private static boolean isJdkType(String simpleName) {
        for (String pkg : List.of("java.lang.", "java.util.", "java.util.concurrent.", "java.util.concurrent.locks.",
                "java.nio.", "java.nio.channels.", "java.nio.file.", "java.io.", "java.lang.ref.",
                "net.openhft.chronicle.map.", "com.esotericsoftware.kryo.", "net.bytebuddy.")) {
            try {
                Class.forName(pkg + simpleName, false, ArchitectureDocTest.class.getClassLoader());
                return true;
            } catch (ClassNotFoundException e) {
                // try the next package
            }
        }
        return false;
    }
}
