package jpack.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations (90, 90s, 10m, 2h, 1h30m, 1.5d) and deadlines (a duration, a time, @EPOCH). */
final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)([smhd]?)");

  private Durations() {}

  static Duration parse(String spec, String option) throws UsageException {
    String s = spec.trim();
    if (s.isEmpty()) {
      throw bad(spec, option);
    }
    Matcher m = PART.matcher(s);
    double seconds = 0;
    int end = 0;
    while (m.find() && m.start() == end) {
      double v = Double.parseDouble(m.group(1));
      seconds += v * switch (m.group(2)) {
        case "m" -> 60;
        case "h" -> 3600;
        case "d" -> 86400;
        default -> 1;
      };
      end = m.end();
      if (m.group(2).isEmpty() && end != s.length()) {
        throw bad(spec, option); // a bare number only on its own or last
      }
    }
    if (end != s.length()) {
      throw bad(spec, option);
    }
    return Duration.ofNanos((long) (seconds * 1e9));
  }

  private static UsageException bad(String spec, String option) {
    return new UsageException("invalid " + option + " '" + spec
        + "': use a duration such as 90s, 10m, 2h or 1h30m");
  }

  /** A deadline: +DURATION or DURATION from now, @EPOCH, HH:MM[:SS] (next), or a local ISO time. */
  static Instant deadline(String spec, Instant now, ZoneId zone) throws UsageException {
    String s = spec.trim();
    try {
      if (s.startsWith("@")) {
        return Instant.ofEpochSecond(Long.parseLong(s.substring(1)));
      }
      if (s.matches("\\d{1,2}:\\d{2}(:\\d{2})?")) {
        LocalTime t = LocalTime.parse(s.length() == 4 ? "0" + s : s);
        ZonedDateTime at = now.atZone(zone).with(t);
        if (!at.toInstant().isAfter(now)) {
          at = at.plusDays(1);
        }
        return at.toInstant();
      }
      if (s.matches("\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2})?")) {
        return LocalDateTime.parse(s.replace(' ', 'T')).atZone(zone).toInstant();
      }
    } catch (DateTimeParseException | NumberFormatException e) {
      throw badDeadline(spec);
    }
    try {
      return now.plus(parse(s.startsWith("+") ? s.substring(1) : s, "--deadline"));
    } catch (UsageException e) {
      throw badDeadline(spec);
    }
  }

  private static UsageException badDeadline(String spec) {
    return new UsageException("invalid --deadline '" + spec
        + "': use a duration (2h), a time (14:30, 2026-11-25T14:30), @EPOCH or none");
  }
}
