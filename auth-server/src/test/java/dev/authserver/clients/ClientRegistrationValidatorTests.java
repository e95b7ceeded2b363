package dev.authserver.clients;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ClientRegistrationValidatorTests {

	private final ClientRegistrationValidator validator = new ClientRegistrationValidator();

	@ParameterizedTest
	@ValueSource(strings = { "https://app.example.com/cb", "http://127.0.0.1:8080/cb", "http://localhost:3000/cb",
			"http://[::1]/cb", "https://app.example.com/cb?tenant=1" })
	void uriProblemWhenAbsoluteHttpsOrLoopbackThenAccepted(String uri) {
		assertThat(ClientRegistrationValidator.uriProblem(uri)).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "/relative/cb", "app.example.com/cb", "https://app.example.com/cb#fragment",
			"https://*.example.com/cb", "https://app.example.com/*", "https://user:pass@app.example.com/cb",
			"https://user@app.example.com/cb", "http://app.example.com/cb", "javascript:alert(1)",
			"custom.scheme:/cb", "https://app.example.com/cb\u0000", "https://app.example.com/ cb", "",
			"file:///etc/passwd", "http://127.0.0.1.evil.example/cb" })
	void uriProblemWhenNotAbsoluteHttpsOrWildcardOrFragmentOrUserInfoThenRefused(String uri) {
		assertThat(ClientRegistrationValidator.uriProblem(uri)).isNotNull();
	}

	@Test
	void uriProblemWhenTooLongThenRefused() {
		assertThat(ClientRegistrationValidator.uriProblem("https://app.example.com/" + "a".repeat(2000))).isNotNull();
	}

	@Test
	void validateWhenPublicClientThenNoClientCredentialsAndNoAdminScope() {
		ClientRegistration registration = new ClientRegistration("SPA", List.of("https://spa.example.com/cb"), null,
				List.of("authorization_code", "client_credentials"), "none", List.of("openid", "admin"), null, null);
		assertThat(this.validator.validate(registration)).extracting(ClientRegistrationValidator.Violation::field)
			.contains("grant_types", "scopes");
	}

	@Test
	void validateWhenAdminScopeOnCodeFlowClientThenRefused() {
		ClientRegistration registration = new ClientRegistration("Web", List.of("https://web.example.com/cb"), null,
				List.of("authorization_code"), "client_secret_basic", List.of("openid", "admin"), null, null);
		assertThat(this.validator.validate(registration)).extracting(ClientRegistrationValidator.Violation::field)
			.containsExactly("scopes");
	}

	@Test
	void validateWhenAdminScopeOnMachineClientThenAccepted() {
		ClientRegistration registration = new ClientRegistration("Automation", null, null,
				List.of("client_credentials"), "client_secret_basic", List.of("admin"), null, null);
		assertThat(this.validator.validate(registration)).isEmpty();
	}

	@Test
	void validateWhenUnknownGrantMethodOrScopeThenEachIsNamed() {
		ClientRegistration registration = new ClientRegistration("X", List.of("https://x.example.com/cb"), null,
				List.of("authorization_code", "password", "implicit"), "tls_client_auth",
				List.of("openid", "offline_access"), null, null);
		assertThat(this.validator.validate(registration)).extracting(ClientRegistrationValidator.Violation::field)
			.contains("grant_types", "token_endpoint_auth_method", "scopes");
	}

	@Test
	void validateWhenNullsInListsThenRefusedWithoutException() {
		java.util.ArrayList<String> withNull = new java.util.ArrayList<>();
		withNull.add(null);
		ClientRegistration registration = new ClientRegistration(null, withNull, withNull, withNull, null, withNull,
				null, null);
		assertThat(this.validator.validate(registration)).isNotEmpty();
	}

	@Test
	void validateWhenClientSecretClientSignsRequestObjectsWithAPrivateKeyThenItsKeysAreAcceptedAndRequired() {
		ClientRegistration withJwksUri = requestObjectClient("https://keys.example.com/jwks", null);
		ClientRegistration withJwks = requestObjectClient(null, Map.of("keys", List.of(Map.of("kty", "EC", "crv",
				"P-256", "x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y",
				"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"))));
		ClientRegistration withoutKeys = requestObjectClient(null, null);

		assertThat(this.validator.validate(withJwksUri, "RS256")).isEmpty();
		assertThat(this.validator.validate(withJwks, "ES256")).isEmpty();
		assertThat(this.validator.validate(withoutKeys, "PS256"))
			.extracting(ClientRegistrationValidator.Violation::field)
			.containsExactly("jwks_uri");
		// HS256 request objects are signed with the secret, and none are not signed: no keys for those.
		assertThat(this.validator.validate(withJwksUri, "HS256"))
			.extracting(ClientRegistrationValidator.Violation::field)
			.containsExactly("jwks_uri");
		assertThat(this.validator.validate(withJwksUri, null)).extracting(ClientRegistrationValidator.Violation::field)
			.containsExactly("jwks_uri");
		assertThat(this.validator.validate(withoutKeys, "none")).isEmpty();
	}

	private static ClientRegistration requestObjectClient(String jwksUri, Map<String, Object> jwks) {
		return new ClientRegistration("Signs request objects", List.of("https://web.example.com/cb"), null,
				List.of("authorization_code"), "client_secret_basic", List.of("openid"), null, jwksUri, jwks, null,
				null);
	}

}
