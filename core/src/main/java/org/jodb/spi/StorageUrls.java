package org.jodb.spi;

import java.util.regex.Pattern;

/** What every part of jodb that shows a storage URL in a message shares: hiding its secrets. */
public final class StorageUrls {
    /**
     * A parameter whose value is secret: any name ending in password, passwd, pwd or secret ({@code password},
     * {@code sslpassword}, {@code PGPASSWORD}, {@code client_secret}, ...), up to the next separator of
     * parameters.
     */
    private static final Pattern SECRET_PARAMETER =
            Pattern.compile("(?i)((?:password|passwd|pwd|secret)=)[^&;#]*");

    private StorageUrls() {
    }

    /**
     * {@code url} fit for a message: the password of a {@code user:password@} part and the value of any
     * parameter named like a password or secret replaced by {@code ***}. The user-info part runs from the
     * {@code //} to the last {@code @} before the query, so that a password holding {@code @} or {@code /}
     * is hidden whole.
     */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        return SECRET_PARAMETER.matcher(hideUserInfoPassword(url)).replaceAll("$1***");
    }

    private static String hideUserInfoPassword(String url) {
        int authority = url.indexOf("//");
        if (authority < 0) {
            return url;
        }
        int start = authority + 2;
        int end = url.length();
        for (char separator : new char[] {'?', '#'}) {
            int at = url.indexOf(separator, start);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        int at = url.lastIndexOf('@', end - 1);
        if (at < start) {
            return url;
        }
        int colon = url.indexOf(':', start);
        if (colon < 0 || colon > at) {
            return url;
        }
        return url.substring(0, colon + 1) + "***" + url.substring(at);
    }
}
