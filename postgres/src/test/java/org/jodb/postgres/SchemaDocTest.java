package org.jodb.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * SCHEMA.md stays true: its tables, columns (with their types), indexes and sequences are exactly those a
 * fresh schema has in PostgreSQL's catalog.
 */
class SchemaDocTest extends PgSchemas {
    private static final Pattern TABLE_HEADING = Pattern.compile("^### `([a-z_]+)`$");
    private static final Pattern FIRST_CELLS = Pattern.compile("^\\| `([a-z_]+)` \\| `([^`]+)` \\|");
    private static final Pattern FIRST_CELL = Pattern.compile("^\\| `([a-z_]+)` \\|");

    @Test
    void schemaMdNamesExactlyTheTablesColumnsIndexesAndSequences() throws IOException, SQLException {
        String schema = schema("doc");
        PostgresStorage.open(server.url(schema)).close();

        Map<String, String> documentedColumns = new TreeMap<>();
        Set<String> documentedIndexes = new TreeSet<>();
        Set<String> documentedSequences = new TreeSet<>();
        String section = "";
        String table = null;
        for (String line : Files.readAllLines(Path.of("SCHEMA.md"))) {
            if (line.startsWith("## ")) {
                section = line.substring(3).trim();
                table = null;
                continue;
            }
            Matcher heading = TABLE_HEADING.matcher(line);
            if (section.equals("Tables") && heading.matches()) {
                table = heading.group(1);
                continue;
            }
            Matcher cells = FIRST_CELLS.matcher(line);
            Matcher cell = FIRST_CELL.matcher(line);
            if (section.equals("Tables") && table != null && cells.find()) {
                documentedColumns.put(table + "." + cells.group(1), cells.group(2));
            } else if (section.equals("Indexes") && cell.find()) {
                documentedIndexes.add(cell.group(1));
            } else if (section.equals("Sequences") && cell.find()) {
                documentedSequences.add(cell.group(1));
            }
        }

        Map<String, String> columns = new TreeMap<>();
        Set<String> indexes = new TreeSet<>();
        Set<String> sequences = new TreeSet<>();
        try (Connection c = server.admin()) {
            query(c, "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = ?",
                    schema, rs -> columns.put(rs.getString(1) + "." + rs.getString(2), rs.getString(3)));
            query(c, "SELECT indexname FROM pg_indexes WHERE schemaname = ?", schema,
                    rs -> indexes.add(rs.getString(1)));
            query(c, "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = ?", schema,
                    rs -> sequences.add(rs.getString(1)));
        }
        assertTrue(columns.size() >= 9, "the catalog lists the columns: " + columns);
        assertEquals(columns, documentedColumns, "SCHEMA.md's tables and columns (with types) against the catalog");
        assertEquals(indexes, documentedIndexes, "SCHEMA.md's indexes against the catalog");
        assertEquals(sequences, documentedSequences, "SCHEMA.md's sequences against the catalog");
    }

    private interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    private static void query(Connection c, String sql, String schema, Row row) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, schema);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    row.accept(rs);
                }
            }
        }
    }
}
