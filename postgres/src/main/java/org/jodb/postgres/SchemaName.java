package org.jodb.postgres;

import java.util.regex.Pattern;

/**
 * The one name that is not a bind parameter in jodb's SQL: the schema. It is checked to be a plain identifier
 * and always written quoted, so that it can neither end a statement nor change its meaning.
 */
final class SchemaName {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,57}");

    private SchemaName() {
    }

    /** {@code name} when it is a plain identifier; else an IllegalArgumentException naming the rule. */
    static String check(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("not a usable schema name: " + (name == null ? "null" : "'" + name + "'")
                    + "; jodb's schema is a letter or underscore followed by letters, digits or underscores,"
                    + " at most 58 characters (e.g. jodb or app_objects)");
        }
        return name;
    }

    /** {@code name} quoted for SQL (already checked, so it holds no quote). */
    static String quoted(String name) {
        return '"' + check(name) + '"';
    }
}
