package org.jodb.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A {@code jdbc:postgresql:} URL as jodb reads it: the driver's URL, untouched but for jodb's own parameter
 * {@code jodbSchema} (taken out, since the driver does not know it), and the same URL with its password hidden
 * for every message. TLS and other driver parameters pass through as written.
 */
record PgUrl(String driverUrl, String schema) {
    static final String PREFIX = "jdbc:postgresql:";
    static final String SCHEMA_PARAMETER = "jodbSchema";
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;]password=)[^&;]*");
    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("^(jdbc:postgresql://[^/@:?]*:)[^/@?]*@");

    /**
     * Parses {@code url}; {@code schema} is its {@code jodbSchema} parameter or {@code defaultSchema}.
     *
     * @throws IllegalArgumentException when it is no {@code jdbc:postgresql:} URL or names an unusable schema
     */
    static PgUrl parse(String url, String defaultSchema) {
        if (url == null || !url.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw new IllegalArgumentException("not a PostgreSQL URL: " + (url == null ? "null" : redact(url))
                    + "; write it as jdbc:postgresql://host:port/database?user=name");
        }
        int query = url.indexOf('?');
        if (query < 0) {
            return new PgUrl(url, SchemaName.check(defaultSchema));
        }
        String schema = defaultSchema;
        List<String> kept = new ArrayList<>();
        for (String parameter : url.substring(query + 1).split("&")) {
            if (parameter.startsWith(SCHEMA_PARAMETER + "=")) {
                schema = parameter.substring(SCHEMA_PARAMETER.length() + 1);
            } else if (!parameter.isEmpty()) {
                kept.add(parameter);
            }
        }
        String driverUrl = url.substring(0, query) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
        return new PgUrl(driverUrl, SchemaName.check(schema));
    }

    /** {@code url} with any password replaced by {@code ***}, for messages and logs. */
    static String redact(String url) {
        if (url == null) {
            return null;
        }
        String hidden = PASSWORD_PARAMETER.matcher(url).replaceAll("$1***");
        return USER_INFO_PASSWORD.matcher(hidden).replaceFirst("$1***@");
    }

    /** The driver's URL without its password. */
    String shown() {
        return redact(driverUrl);
    }
}
