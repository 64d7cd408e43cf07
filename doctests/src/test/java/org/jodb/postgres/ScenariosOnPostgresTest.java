package org.jodb.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every scenario ({@code scenarios/}, this module's README and the project's) run by the doctest runner with
 * {@code --store} on the tests' PostgreSQL server, in a JVM of its own as a user runs it: each passes, the blocks
 * tagged file-store-only are skipped and counted, and every schema the run made is dropped.
 */
class ScenariosOnPostgresTest extends PgSchemas {

    /** How the runner names the schemas it makes (PostgresDirectories.SCHEMA_PREFIX). */
    private static final String PREFIX = "jodb_scenario_";

    @Test
    void everyScenarioPassesOnPostgresAndLeavesNoSchema() throws Exception {
        List<String> before = runnerSchemas();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("--enable-native-access") || arg.startsWith("--sun-misc")
                    || arg.startsWith("-Dchronicle")) {
                command.add(arg);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.jodb.doctest.Main",
                "--store", server.adminUrl(), "scenarios", "README.md", "../README.md"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertEquals(0, p.waitFor(), out);
        for (String line : out.split("\n")) {
            if (line.startsWith("passed ") || line.startsWith("FAILED ")) {
                assertTrue(line.startsWith("passed "), out);
            }
        }
        for (String aboutFiles : List.of("recovery.md", "tools.md")) {
            assertTrue(Pattern.compile("passed scenarios/" + aboutFiles + " \\(\\d+ examples, \\d+ skipped:"
                    + " file-store-only\\)").matcher(out).find(), out);
        }
        Matcher made = Pattern.compile("store: (\\d+) schema\\(s\\) made on .*, all dropped").matcher(out);
        assertTrue(made.find(), out);
        assertTrue(Integer.parseInt(made.group(1)) > 0, out);
        assertEquals(before, runnerSchemas(), out);
    }

    private static List<String> runnerSchemas() throws SQLException {
        List<String> found = new ArrayList<>();
        try (Connection c = server.admin(); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT nspname FROM pg_namespace WHERE starts_with(nspname, '"
                        + PREFIX + "') ORDER BY nspname")) {
            while (rows.next()) {
                found.add(rows.getString(1));
            }
        }
        return found;
    }
}
