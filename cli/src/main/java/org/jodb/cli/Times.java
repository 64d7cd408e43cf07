package org.jodb.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The TIME arguments of {@code --since} and {@code --before}: an instant ({@code 2026-12-07T08:30:00Z}), a
 * date and time in UTC ({@code 2026-12-07T08:30}), a date ({@code 2026-12-07}, its midnight UTC), or an age
 * ({@code 90m}, {@code 2h}, {@code 7d}: that long before now). Times are printed as instants in UTC.
 */
final class Times {
    private static final Pattern AGE = Pattern.compile("(\\d+)\\s*([smhd])");
    static final String FORMS = "an instant (2026-12-07T08:30:00Z), a date and time in UTC (2026-12-07T08:30), a date"
            + " (2026-12-07) or an age before now (90m, 2h, 7d)";

    private Times() {
    }

    /**
     * @throws UserError naming the option, the text and the forms accepted
     */
    static long parseMillis(String option, String text, Instant now) {
        String t = text.trim();
        Matcher age = AGE.matcher(t.toLowerCase(Locale.ROOT));
        if (age.matches()) {
            long n = Long.parseLong(age.group(1));
            Duration d = switch (age.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return now.minus(d).toEpochMilli();
        }
        try {
            return Instant.parse(t).toEpochMilli();
        } catch (DateTimeParseException notInstant) {
            // next form
        }
        try {
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException notDateTime) {
            // next form
        }
        try {
            return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        } catch (DateTimeParseException notDate) {
            throw new UserError("bad time for " + option + ": \"" + text + "\". Give " + FORMS + ".");
        }
    }

    static String format(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }
}
