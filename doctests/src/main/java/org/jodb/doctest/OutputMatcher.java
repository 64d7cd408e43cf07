package org.jodb.doctest;

import java.util.stream.Collectors;

/**
 * Compares expected with actual output. Both are normalized first: line breaks become {@code \n},
 * trailing whitespace is dropped from every line and trailing blank lines from the end. Then
 * {@code ...} in the expected text matches any text, line breaks included (Python's ELLIPSIS).
 */
final class OutputMatcher {

    static final String WILDCARD = "...";

    private OutputMatcher() {
    }

    static boolean matches(String expected, String actual) {
        String want = normalize(expected);
        String got = normalize(actual);
        if (!want.contains(WILDCARD)) {
            return want.equals(got);
        }
        String[] pieces = want.split(java.util.regex.Pattern.quote(WILDCARD), -1);
        String first = pieces[0];
        String last = pieces[pieces.length - 1];
        if (!got.startsWith(first) || got.length() < first.length() + last.length() || !got.endsWith(last)) {
            return false;
        }
        int position = first.length();
        int end = got.length() - last.length();
        for (int i = 1; i < pieces.length - 1; i++) {
            int found = got.indexOf(pieces[i], position);
            if (found < 0 || found + pieces[i].length() > end) {
                return false;
            }
            position = found + pieces[i].length();
        }
        return true;
    }

    static String normalize(String text) {
        return text.replace("\r\n", "\n").replace('\r', '\n')
                .lines()
                .map(String::stripTrailing)
                .collect(Collectors.joining("\n"))
                .replaceAll("\n+$", "");
    }
}
