package dev.authserver.tokens;

import java.util.List;
import java.util.Map;

import com.nimbusds.openid.connect.sdk.OIDCClaimsRequest;
import com.nimbusds.openid.connect.sdk.claims.ClaimRequirement;
import com.nimbusds.openid.connect.sdk.claims.ClaimsSetRequest;

import dev.authserver.mfa.MfaPolicy;
import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.authority.FactorGrantedAuthority;

import static org.assertj.core.api.Assertions.assertThat;

class AuthenticationLevelTests {

	@Test
	void amrWhenPasswordThenPwdAtOneFactor() {
		TestingAuthenticationToken password = signIn(FactorGrantedAuthority.PASSWORD_AUTHORITY);

		assertThat(AuthenticationLevel.amr(password)).containsExactly("pwd");
		assertThat(AuthenticationLevel.of(password)).isEqualTo(AuthenticationLevel.ONE_FACTOR);
	}

	@Test
	void amrWhenProviderSignInAndTotpThenFedOtpMfa() {
		TestingAuthenticationToken stepped = signIn(FactorGrantedAuthority.AUTHORIZATION_CODE_AUTHORITY,
				MfaPolicy.TOTP_AUTHORITY);

		assertThat(AuthenticationLevel.amr(stepped)).containsExactly("fed", "otp", "mfa");
		assertThat(AuthenticationLevel.of(stepped)).isEqualTo(AuthenticationLevel.MULTI_FACTOR);
	}

	@Test
	void amrWhenPasskeyThenSwkMfa() {
		TestingAuthenticationToken passkey = signIn(FactorGrantedAuthority.WEBAUTHN_AUTHORITY, "ROLE_USER");

		assertThat(AuthenticationLevel.amr(passkey)).containsExactly("swk", "mfa");
	}

	@Test
	void amrWhenNoFactorKnownThenEmpty() {
		assertThat(AuthenticationLevel.amr(signIn("ROLE_USER"))).isEmpty();
	}

	@Test
	void requestedWhenAcrValuesListsBothLevelsThenOneFactorIsEnough() {
		AuthenticationLevel.Requested requested = AuthenticationLevel
			.requested(Map.of("acr_values", "urn:authserver:acr:mfa urn:authserver:acr:1fa"));

		assertThat(requested).isEqualTo(new AuthenticationLevel.Requested(AuthenticationLevel.ONE_FACTOR, false));
	}

	@Test
	void requestedWhenEssentialAcrClaimThenEssentialMultiFactor() {
		AuthenticationLevel.Requested requested = AuthenticationLevel.requested(Map.of("claims",
				"{\"id_token\":{\"acr\":{\"essential\":true,\"value\":\"urn:authserver:acr:mfa\"}}}"));

		assertThat(requested).isEqualTo(new AuthenticationLevel.Requested(AuthenticationLevel.MULTI_FACTOR, true));
	}

	@Test
	void requestedWhenNimbusClaimsRequestThenEssentialMultiFactor() {
		String claims = new OIDCClaimsRequest().withIDTokenClaimsRequest(new ClaimsSetRequest()
			.add(new ClaimsSetRequest.Entry("acr").withClaimRequirement(ClaimRequirement.ESSENTIAL)
				.withValues(List.of("urn:authserver:acr:mfa"))))
			.toJSONString();

		assertThat(AuthenticationLevel.requested(Map.of("claims", claims))).as(claims)
			.isEqualTo(new AuthenticationLevel.Requested(AuthenticationLevel.MULTI_FACTOR, true));
	}

	@Test
	void requestedWhenUnknownOrMalformedThenNone() {
		assertThat(AuthenticationLevel.requested(Map.of("acr_values", "urn:other:gold"))).isNull();
		assertThat(AuthenticationLevel.requested(Map.of("claims", "{not json"))).isNull();
		assertThat(AuthenticationLevel.requested(Map.of())).isNull();
	}

	@Test
	void totpAuthorityWhenComparedWithMfaPolicyThenSame() {
		assertThat(AuthenticationLevel.TOTP_AUTHORITY).isEqualTo(MfaPolicy.TOTP_AUTHORITY);
	}

	private static TestingAuthenticationToken signIn(String... authorities) {
		return new TestingAuthenticationToken("user", null, authorities);
	}

}
