package dev.authserver.demo.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Formats instants for people: an absolute UTC time and a rough "in 4 min" / "2 h ago".
 */
final class Times {

	// The server cannot know the reader's time zone, so say plainly that times are UTC
	private static final DateTimeFormatter FORMATTER = DateTimeFormatter
		.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	private Times() {
	}

	static String format(Instant instant) {
		return FORMATTER.format(instant);
	}

	static String relative(Instant instant, Instant now) {
		Duration duration = Duration.between(now, instant);
		String amount = amount(duration.abs());
		return duration.isNegative() ? amount + " ago" : "in " + amount;
	}

	private static String amount(Duration duration) {
		long seconds = duration.toSeconds();
		if (seconds < 60) {
			return seconds + " s";
		}
		if (seconds < 3600) {
			long remainder = seconds % 60;
			return (seconds / 60) + " min" + ((remainder != 0) ? " " + remainder + " s" : "");
		}
		if (seconds < 86400) {
			long remainder = (seconds % 3600) / 60;
			return (seconds / 3600) + " h" + ((remainder != 0) ? " " + remainder + " min" : "");
		}
		long days = seconds / 86400;
		return days + ((days == 1) ? " day" : " days");
	}

}
