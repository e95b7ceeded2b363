package dev.authserver.demo.web;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClaimTableTests {

	@Test
	void rowsWhenIdTokenClaimsThenReadableValuesInReadingOrder() {
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("exp", Instant.parse("2030-01-02T03:04:05Z"));
		claims.put("aud", List.of("demo-client", "other"));
		claims.put("custom", "x");
		claims.put("email_verified", true);
		claims.put("sub", "user-1");

		List<ClaimRow> rows = ClaimTable.rows(claims);

		assertThat(rows).extracting(ClaimRow::name).containsExactly("sub", "email_verified", "aud", "exp", "custom");
		assertThat(rows).extracting(ClaimRow::value)
			.containsExactly("user-1", "yes", "demo-client, other", "2030-01-02 03:04:05 UTC", "x");
		assertThat(rows.get(0).label()).isEqualTo("Subject (user id)");
		assertThat(rows.get(4).label()).isEqualTo("custom");
	}

	@Test
	void rowsWhenUserInfoNumericTimeThenFormatsAsTime() {
		List<ClaimRow> rows = ClaimTable.rows(Map.of("updated_at", 1_700_000_000L, "address",
				Map.of("country", "UK")));

		assertThat(rows).extracting(ClaimRow::value).containsExactlyInAnyOrder("2023-11-14 22:13:20 UTC",
				"country: UK");
	}

}
