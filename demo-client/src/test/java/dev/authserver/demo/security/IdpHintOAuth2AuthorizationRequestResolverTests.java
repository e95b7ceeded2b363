package dev.authserver.demo.security;

import dev.authserver.demo.DemoClientProperties;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.PkceParameterNames;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;

import static org.assertj.core.api.Assertions.assertThat;

class IdpHintOAuth2AuthorizationRequestResolverTests {

	private final IdpHintOAuth2AuthorizationRequestResolver resolver = new IdpHintOAuth2AuthorizationRequestResolver(
			new InMemoryClientRegistrationRepository(ClientRegistrationConfiguration.demoClientRegistration(
					new DemoClientProperties("https://id.example.com", "demo-client", "s3cr3t", false))));

	@Test
	void resolveWhenIdpHintGithubThenAddsItToRequestAndKeepsPkceAndNonce() {
		OAuth2AuthorizationRequest authorizationRequest = this.resolver.resolve(request("github"));

		assertThat(authorizationRequest).isNotNull();
		assertThat(authorizationRequest.getAdditionalParameters()).containsEntry("idp_hint", "github")
			.containsEntry(PkceParameterNames.CODE_CHALLENGE_METHOD, "S256")
			.containsKeys(PkceParameterNames.CODE_CHALLENGE, OidcParameterNames.NONCE);
		assertThat(authorizationRequest.getAttributes()).containsKeys(PkceParameterNames.CODE_VERIFIER,
				OidcParameterNames.NONCE);
		assertThat(authorizationRequest.getAuthorizationRequestUri()).contains("idp_hint=github")
			.contains("code_challenge=");
	}

	@Test
	void resolveWhenIdpHintGoogleWithRegistrationIdThenAddsIt() {
		OAuth2AuthorizationRequest authorizationRequest = this.resolver.resolve(request("google"), "demo");

		assertThat(authorizationRequest).isNotNull();
		assertThat(authorizationRequest.getAuthorizationRequestUri()).contains("idp_hint=google");
	}

	@Test
	void resolveWhenIdpHintUnknownThenLeavesItOut() {
		OAuth2AuthorizationRequest authorizationRequest = this.resolver.resolve(request("evil"));

		assertThat(authorizationRequest).isNotNull();
		assertThat(authorizationRequest.getAdditionalParameters()).doesNotContainKey("idp_hint");
		assertThat(authorizationRequest.getAuthorizationRequestUri()).doesNotContain("idp_hint").doesNotContain("evil");
	}

	@Test
	void resolveWhenNoIdpHintThenPlainRequest() {
		OAuth2AuthorizationRequest authorizationRequest = this.resolver.resolve(request(null));

		assertThat(authorizationRequest).isNotNull();
		assertThat(authorizationRequest.getAdditionalParameters()).doesNotContainKey("idp_hint");
	}

	@Test
	void resolveWhenNotAnAuthorizationRequestPathThenNull() {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/profile");
		request.setParameter("idp_hint", "github");

		assertThat(this.resolver.resolve(request)).isNull();
	}

	private static MockHttpServletRequest request(@Nullable String idpHint) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/oauth2/authorization/demo");
		if (idpHint != null) {
			request.setParameter("idp_hint", idpHint);
		}
		return request;
	}

}
