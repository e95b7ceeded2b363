package dev.authserver.demo.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * Turns a claim set (an ID token's or a userinfo answer's) into readable rows.
 */
final class ClaimTable {

	// OIDC Core 1.0 §2 and §5.1 names, in the order a reader looks for them
	private static final List<String> ORDER = List.of("sub", "name", "preferred_username", "given_name",
			"family_name", "email", "email_verified", "iss", "aud", "azp", "auth_time", "iat", "exp", "nbf", "acr",
			"amr", "sid", "nonce", "at_hash", "c_hash", "jti");

	private static final Map<String, String> LABELS = Map.ofEntries(Map.entry("sub", "Subject (user id)"),
			Map.entry("name", "Name"), Map.entry("preferred_username", "Username"),
			Map.entry("given_name", "Given name"), Map.entry("family_name", "Family name"),
			Map.entry("middle_name", "Middle name"), Map.entry("nickname", "Nickname"),
			Map.entry("email", "Email"), Map.entry("email_verified", "Email verified"),
			Map.entry("phone_number", "Phone"), Map.entry("phone_number_verified", "Phone verified"),
			Map.entry("picture", "Picture"), Map.entry("profile", "Profile page"), Map.entry("website", "Website"),
			Map.entry("gender", "Gender"), Map.entry("birthdate", "Birthdate"), Map.entry("zoneinfo", "Time zone"),
			Map.entry("locale", "Locale"), Map.entry("address", "Address"), Map.entry("updated_at", "Updated at"),
			Map.entry("iss", "Issuer"), Map.entry("aud", "Audience"), Map.entry("azp", "Authorized party"),
			Map.entry("auth_time", "Authenticated at"), Map.entry("iat", "Issued at"), Map.entry("exp", "Expires at"),
			Map.entry("nbf", "Not before"), Map.entry("acr", "Authentication context class"),
			Map.entry("amr", "Authentication methods"), Map.entry("sid", "Session id"),
			Map.entry("nonce", "Nonce (hash of this sign-in's nonce)"),
			Map.entry("at_hash", "Access token hash"), Map.entry("c_hash", "Code hash"),
			Map.entry("jti", "Token id"));

	// Claims that hold a time: tokens carry them as seconds since the epoch (RFC 7519 §2 NumericDate)
	private static final Set<String> TIME_CLAIMS = Set.of("auth_time", "iat", "exp", "nbf", "updated_at");

	private ClaimTable() {
	}

	static List<ClaimRow> rows(Map<String, ? extends @Nullable Object> claims) {
		List<ClaimRow> rows = new ArrayList<>();
		claims.forEach((name, value) -> rows.add(new ClaimRow(name, LABELS.getOrDefault(name, name),
				format(name, value))));
		rows.sort(Comparator.comparingInt(ClaimTable::position).thenComparing(ClaimRow::name));
		return List.copyOf(rows);
	}

	private static int position(ClaimRow row) {
		int index = ORDER.indexOf(row.name());
		return (index >= 0) ? index : ORDER.size();
	}

	private static String format(String name, @Nullable Object value) {
		if (value == null) {
			return "(none)";
		}
		if (value instanceof Instant instant) {
			return Times.format(instant);
		}
		if (value instanceof Number number && TIME_CLAIMS.contains(name)) {
			return Times.format(Instant.ofEpochSecond(number.longValue()));
		}
		if (value instanceof Boolean bool) {
			return bool ? "yes" : "no";
		}
		if (value instanceof Collection<?> collection) {
			return collection.stream().map(String::valueOf).collect(Collectors.joining(", "));
		}
		if (value instanceof Map<?, ?> map) {
			return map.entrySet()
				.stream()
				.map((entry) -> entry.getKey() + ": " + entry.getValue())
				.collect(Collectors.joining("; "));
		}
		return String.valueOf(value);
	}

}
