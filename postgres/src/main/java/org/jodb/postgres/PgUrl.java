package org.jodb.postgres;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.jodb.spi.StorageUrls;

/**
 * A {@code jdbc:postgresql:} URL as jodb reads it: the driver's URL, untouched but for jodb's own parameter
 * {@code jodbSchema} (taken out, since the driver does not know it) and a {@code user:password@} part (which
 * the driver would take for a host name: it becomes the parameters {@code user} and {@code password}), the
 * same URL with its passwords hidden for every message, and the secret values themselves, so that a message
 * the driver builds can be cleaned of them. TLS and other driver parameters pass through as written.
 *
 * <p>The storage's own pool connects with {@link #openUrl()} and {@link #secretProperties()}: the URL without
 * its passwords, which go to the driver as connection properties instead, so that whatever the driver logs
 * or quotes of the URL holds none.
 *
 * @param driverUrl the URL the driver reads, passwords included (for a {@code DataSource} of one's own)
 * @param schema    the schema jodb uses
 * @param openUrl   {@code driverUrl} without the parameters whose values are secret
 * @param secretProperties those parameters, decoded, as connection properties
 * @param secrets   the values of the URL's passwords (as written and decoded), to hide wherever they turn up
 */
record PgUrl(String driverUrl, String schema, String openUrl, Properties secretProperties, List<String> secrets) {
    static final String PREFIX = "jdbc:postgresql:";
    static final String SCHEMA_PARAMETER = "jodbSchema";
    /** Parameters whose values are secret: any name that ends like a password's (sslpassword included). */
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|passwd|pwd|secret)");

    /**
     * Parses {@code url}; {@code schema} is its {@code jodbSchema} parameter or {@code defaultSchema}.
     *
     * @throws IllegalArgumentException when it is no {@code jdbc:postgresql:} URL, gives the user or password
     *         both in a {@code user:password@} part and as parameters, or names an unusable schema
     */
    static PgUrl parse(String url, String defaultSchema) {
        if (url == null || !url.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw new IllegalArgumentException("not a PostgreSQL URL: " + (url == null ? "null" : redact(url))
                    + "; write it as jdbc:postgresql://host:port/database?user=name");
        }
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        String schema = defaultSchema;
        List<String> kept = new ArrayList<>();
        List<String> open = new ArrayList<>();
        Properties secretProperties = new Properties();
        Set<String> secrets = new LinkedHashSet<>();
        if (query >= 0) {
            for (String parameter : url.substring(query + 1).split("&")) {
                int eq = parameter.indexOf('=');
                String name = eq < 0 ? parameter : parameter.substring(0, eq);
                if (name.equals(SCHEMA_PARAMETER)) {
                    schema = parameter.substring(eq + 1);
                } else if (!parameter.isEmpty()) {
                    kept.add(parameter);
                    if (eq >= 0 && SECRET_NAME.matcher(name).matches()) {
                        addSecret(secrets, parameter.substring(eq + 1));
                        secretProperties.setProperty(name, decode(parameter.substring(eq + 1)));
                    } else {
                        open.add(parameter);
                    }
                }
            }
        }
        int authority = base.indexOf("//");
        int at = base.lastIndexOf('@');
        if (authority >= 0 && at > authority) {
            String userInfo = base.substring(authority + 2, at);
            base = base.substring(0, authority + 2) + base.substring(at + 1);
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
            for (String parameter : kept) {
                String name = parameter.split("=", 2)[0];
                if (name.equalsIgnoreCase("user") || name.equalsIgnoreCase("password")) {
                    throw new IllegalArgumentException("PostgreSQL URL " + redact(url) + " names its "
                            + name.toLowerCase(java.util.Locale.ROOT) + " twice, in user:password@ and as a"
                            + " parameter: keep one");
                }
            }
            List<String> fromUserInfo = new ArrayList<>();
            fromUserInfo.add("user=" + encode(decode(user)));
            open.add(0, "user=" + encode(decode(user)));
            if (colon >= 0) {
                String password = userInfo.substring(colon + 1);
                addSecret(secrets, password);
                fromUserInfo.add("password=" + encode(decode(password)));
                secretProperties.setProperty("password", decode(password));
            }
            kept.addAll(0, fromUserInfo);
        }
        String driverUrl = base + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
        String openUrl = base + (open.isEmpty() ? "" : "?" + String.join("&", open));
        return new PgUrl(driverUrl, SchemaName.check(schema), openUrl, secretProperties, List.copyOf(secrets));
    }

    private static void addSecret(Set<String> secrets, String value) {
        if (!value.isEmpty()) {
            secrets.add(value);
            secrets.add(decode(value));
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // not percent-encoded after all: as written
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** {@code url} with every password hidden, for messages and logs ({@link StorageUrls#redact}, jodb's one). */
    static String redact(String url) {
        return StorageUrls.redact(url);
    }

    /** The driver's URL without its password. */
    String shown() {
        return redact(driverUrl);
    }
}
