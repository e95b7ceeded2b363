package dev.authserver.tokens;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;

/**
 * The two levels of authentication we sign in at, named by the {@code acr} values of OIDC Core 1.0 §2 and asked for
 * with {@code acr_values} (§3.1.2.1) or an {@code acr} claims request (§5.5.1.1); and the {@code amr} values
 * (RFC 8176) of the factors behind them, read from Spring Security's {@code FACTOR_*} authorities of the sign-in.
 */
public enum AuthenticationLevel {

	/** One factor: a password, a magic link, or a Google or GitHub sign-in. */
	ONE_FACTOR("urn:authserver:acr:1fa"),

	/** Two factors: one of the above and a TOTP code, or a passkey (with user verification: two factors in one). */
	MULTI_FACTOR("urn:authserver:acr:mfa");

	/** For discovery's {@code acr_values_supported}. */
	public static final List<String> ACR_VALUES_SUPPORTED = List.of(ONE_FACTOR.acr, MULTI_FACTOR.acr);

	/** The authorization request parameter (OIDC Core §3.1.2.1). */
	public static final String ACR_VALUES = "acr_values";

	/** The factor authority of a TOTP code, {@code mfa.MfaPolicy.TOTP_AUTHORITY} (which depends on this package). */
	static final String TOTP_AUTHORITY = "FACTOR_TOTP";

	// RFC 8176 §2. A magic link is a one-time code sent out of band: "otp" is the nearest registered value. A passkey
	// is "swk": without attestation we cannot tell a hardware-bound key from a synced one.
	private static final Map<String, String> AMR = Map.of(FactorGrantedAuthority.PASSWORD_AUTHORITY, "pwd",
			FactorGrantedAuthority.OTT_AUTHORITY, "otp", TOTP_AUTHORITY, "otp", FactorGrantedAuthority.WEBAUTHN_AUTHORITY,
			"swk", FactorGrantedAuthority.AUTHORIZATION_CODE_AUTHORITY, "fed");

	private final String acr;

	AuthenticationLevel(String acr) {
		this.acr = acr;
	}

	public String acr() {
		return this.acr;
	}

	/** The level of a sign-in: multi-factor once it holds a TOTP or passkey factor (as {@code MfaPolicy} says). */
	public static AuthenticationLevel of(Authentication authentication) {
		for (GrantedAuthority authority : authentication.getAuthorities()) {
			String name = authority.getAuthority();
			if (TOTP_AUTHORITY.equals(name) || FactorGrantedAuthority.WEBAUTHN_AUTHORITY.equals(name)) {
				return MULTI_FACTOR;
			}
		}
		return ONE_FACTOR;
	}

	/** RFC 8176 values for the factors of a sign-in, with {@code mfa} when it is multi-factor; empty when unknown. */
	public static List<String> amr(Authentication authentication) {
		Set<String> amr = new LinkedHashSet<>();
		for (GrantedAuthority authority : authentication.getAuthorities()) {
			String value = AMR.get(authority.getAuthority());
			if (value != null) {
				amr.add(value);
			}
		}
		if (!amr.isEmpty() && of(authentication) == MULTI_FACTOR) {
			amr.add("mfa");
		}
		return new ArrayList<>(amr);
	}

	private static @Nullable AuthenticationLevel ofAcr(String acr) {
		for (AuthenticationLevel level : values()) {
			if (level.acr.equals(acr)) {
				return level;
			}
		}
		return null;
	}

	/**
	 * The level an authorization request asks for, from its parameters ({@code acr_values}, and the {@code acr} of
	 * the ID token's claims request); {@code null} when it asks for none we can tell apart.
	 */
	public static @Nullable Requested requested(Map<String, ?> parameters) {
		boolean essential = false;
		List<String> acrs = new ArrayList<>();
		if (parameters.get(ACR_VALUES) instanceof String acrValues) {
			acrs.addAll(Arrays.asList(acrValues.trim().split("\\s+")));
		}
		try {
			ClaimsRequest.Claim acr = ClaimsRequest.parse(parameters.get(ClaimsRequest.PARAMETER))
				.idTokenClaim(IdTokenClaimNames.ACR);
			if (acr != null && !acr.values().isEmpty()) {
				// §5.5.1.1: an essential acr with values must be met, or the request fails.
				essential = acr.essential();
				acrs.addAll(acr.values());
			}
		}
		catch (IllegalArgumentException ex) {
			// Refused with invalid_request by ClaimsRequestValidator.
		}
		// The lowest level the request accepts: acr_values lists the acceptable ones, in order of preference.
		AuthenticationLevel lowest = null;
		for (String acr : acrs) {
			AuthenticationLevel level = ofAcr(acr);
			if (level != null && (lowest == null || level.compareTo(lowest) < 0)) {
				lowest = level;
			}
		}
		return (lowest != null) ? new Requested(lowest, essential) : null;
	}

	/** Whether this level meets {@code requested}. */
	public boolean meets(AuthenticationLevel requested) {
		return compareTo(requested) >= 0;
	}

	/**
	 * The level an authorization request asks for.
	 * @param essential an essential {@code acr} claim: not meeting it is an error rather than a lower level
	 */
	public record Requested(AuthenticationLevel level, boolean essential) {
	}

}
