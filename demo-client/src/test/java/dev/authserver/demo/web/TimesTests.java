package dev.authserver.demo.web;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TimesTests {

	private static final Instant NOW = Instant.parse("2030-01-01T10:00:00Z");

	@Test
	void relativeWhenFutureOrPastThenReadsNaturally() {
		assertThat(Times.relative(NOW.plusSeconds(42), NOW)).isEqualTo("in 42 s");
		assertThat(Times.relative(NOW.plusSeconds(300), NOW)).isEqualTo("in 5 min");
		assertThat(Times.relative(NOW.minusSeconds(3 * 3600 + 120), NOW)).isEqualTo("3 h 2 min ago");
		assertThat(Times.relative(NOW.plusSeconds(86400 * 2), NOW)).isEqualTo("in 2 days");
	}

	@Test
	void formatWhenInstantThenUtc() {
		assertThat(Times.format(NOW)).isEqualTo("2030-01-01 10:00:00 UTC");
	}

}
