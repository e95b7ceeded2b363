package dev.authserver.tokens;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.util.JSONObjectUtils;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;

/**
 * The {@code claims} request parameter of OIDC Core 1.0 §5.5: the individual claims asked for in the ID token and
 * from UserInfo, each possibly {@code essential} or with the {@code value}/{@code values} it should have.
 * <p>
 * It is kept with the authorization (in the stored {@link OAuth2AuthorizationRequest}'s additional parameters), so
 * that the token endpoint and UserInfo read the same request the person approved.
 */
public record ClaimsRequest(Map<String, Claim> idToken, Map<String, Claim> userInfo) {

	/** The authorization request parameter. */
	public static final String PARAMETER = "claims";

	private static final ClaimsRequest NONE = new ClaimsRequest(Map.of(), Map.of());

	/**
	 * One requested claim (§5.5.1).
	 * @param values the requested values ({@code value} or {@code values}), strings only; empty when none
	 */
	public record Claim(boolean essential, List<String> values) {
	}

	/**
	 * Reads the parameter as the authorization endpoint received it.
	 * @param parameter the parameter's value, {@code null} when absent, an array when repeated
	 * @throws IllegalArgumentException when it is repeated, not JSON, or not shaped as §5.5 says
	 */
	public static ClaimsRequest parse(@Nullable Object parameter) {
		if (parameter == null) {
			return NONE;
		}
		if (!(parameter instanceof String json)) {
			throw new IllegalArgumentException("claims must be given once");
		}
		if (!json.strip().startsWith("{")) {
			// JSONObjectUtils reads a JSON array as an empty object.
			throw new IllegalArgumentException("claims is not a JSON object");
		}
		Map<String, Object> members;
		try {
			members = JSONObjectUtils.parse(json);
		}
		catch (ParseException ex) {
			throw new IllegalArgumentException("claims is not a JSON object");
		}
		return new ClaimsRequest(claims(members.get("id_token")), claims(members.get("userinfo")));
	}

	/** The claims request of an authorization; none when it had none (it was checked at the authorization endpoint). */
	public static ClaimsRequest of(@Nullable OAuth2Authorization authorization) {
		if (authorization == null) {
			return NONE;
		}
		OAuth2AuthorizationRequest request = authorization.getAttribute(OAuth2AuthorizationRequest.class.getName());
		if (request == null) {
			return NONE;
		}
		try {
			return parse(request.getAdditionalParameters().get(PARAMETER));
		}
		catch (IllegalArgumentException ex) {
			return NONE;
		}
	}

	public @Nullable Claim idTokenClaim(String name) {
		return this.idToken.get(name);
	}

	// §5.5: each member is null (asked for, nothing more said) or an object with essential, value or values.
	@SuppressWarnings("unchecked")
	private static Map<String, Claim> claims(@Nullable Object member) {
		if (member == null) {
			return Map.of();
		}
		if (!(member instanceof Map<?, ?> requested)) {
			throw new IllegalArgumentException("claims members must be JSON objects");
		}
		Map<String, Claim> claims = new LinkedHashMap<>();
		((Map<String, @Nullable Object>) requested).forEach((name, value) -> claims.put(name, claim(value)));
		return Collections.unmodifiableMap(claims);
	}

	private static Claim claim(@Nullable Object value) {
		if (value == null) {
			return new Claim(false, List.of());
		}
		if (!(value instanceof Map<?, ?> request)) {
			throw new IllegalArgumentException("a requested claim is null or a JSON object");
		}
		Object essential = request.get("essential");
		if (essential != null && !(essential instanceof Boolean)) {
			throw new IllegalArgumentException("essential is a boolean");
		}
		List<String> values = new ArrayList<>();
		if (request.get("value") instanceof String single) {
			values.add(single);
		}
		Object several = request.get("values");
		if (several != null) {
			if (!(several instanceof List<?> list)) {
				throw new IllegalArgumentException("values is a JSON array");
			}
			list.stream().filter(String.class::isInstance).map(String.class::cast).forEach(values::add);
		}
		return new Claim(Boolean.TRUE.equals(essential), List.copyOf(values));
	}

}
