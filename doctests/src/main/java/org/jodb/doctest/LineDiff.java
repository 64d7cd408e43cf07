package org.jodb.doctest;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff of expected against actual output, for failure reports: lines only in the expected
 * output start {@code "- "}, lines only in the actual output {@code "+ "}, common lines {@code "  "}.
 * Longest common subsequence; outputs of scenarios are short.
 */
final class LineDiff {

    private LineDiff() {
    }

    static List<String> of(List<String> expected, List<String> actual) {
        int n = expected.size();
        int m = actual.size();
        int[][] common = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                common[i][j] = expected.get(i).equals(actual.get(j))
                        ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<String> diff = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && expected.get(i).equals(actual.get(j))) {
                diff.add("  " + expected.get(i++));
                j++;
            } else if (j < m && (i == n || common[i][j + 1] >= common[i + 1][j])) {
                diff.add("+ " + actual.get(j++));
            } else {
                diff.add("- " + expected.get(i++));
            }
        }
        return diff;
    }
}
