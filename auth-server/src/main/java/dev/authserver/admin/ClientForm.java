package dev.authserver.admin;

import java.util.Arrays;
import java.util.List;

import dev.authserver.clients.ClientRegistration;
import dev.authserver.clients.ClientRegistrations;
import dev.authserver.clients.RequestObjectSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * The console's client form: URIs one per line, grant types and scopes as checkboxes.
 */
public record ClientForm(@Nullable String clientName, @Nullable String redirectUris, @Nullable String postLogoutRedirectUris,
		@Nullable List<String> grantTypes, @Nullable String tokenEndpointAuthMethod, @Nullable List<String> scopes,
		@Nullable Boolean requireConsent, @Nullable String jwksUri, @Nullable Boolean requirePkce,
		@Nullable Boolean pkceChoice, @Nullable String requestObjectSigningAlg,
		@Nullable Boolean requireSignedRequestObject, @Nullable Boolean idTokenUserinfoClaims) {

	static ClientForm empty() {
		return new ClientForm("", "", "", List.of("authorization_code", "refresh_token"), "client_secret_basic",
				List.of("openid", "profile", "email"), true, "", true, null, "", false, false);
	}

	static ClientForm of(RegisteredClient client) {
		return new ClientForm(client.getClientName(), String.join("\n", client.getRedirectUris()),
				String.join("\n", client.getPostLogoutRedirectUris()),
				client.getAuthorizationGrantTypes().stream().map(AuthorizationGrantType::getValue).toList(),
				client.getClientAuthenticationMethods()
					.stream()
					.map(ClientAuthenticationMethod::getValue)
					.findFirst()
					.orElse("none"),
				List.copyOf(client.getScopes()), client.getClientSettings().isRequireAuthorizationConsent(),
				client.getClientSettings().getJwkSetUrl(), client.getClientSettings().isRequireProofKey(), null,
				(client.getClientSettings().getSetting(RequestObjectSettings.SIGNING_ALGORITHM) instanceof String alg)
						? alg : "",
				Boolean.TRUE.equals(client.getClientSettings().getSetting(RequestObjectSettings.REQUIRE_SIGNED)),
				Boolean.TRUE.equals(client.getClientSettings().getSetting(ClientRegistrations.ID_TOKEN_USERINFO_CLAIMS)));
	}

	ClientRegistration toRegistration() {
		return new ClientRegistration(this.clientName, lines(this.redirectUris), lines(this.postLogoutRedirectUris),
				(this.grantTypes != null) ? this.grantTypes : List.of(), this.tokenEndpointAuthMethod,
				// An unchecked box is not sent at all.
				(this.scopes != null) ? this.scopes : List.of(), Boolean.TRUE.equals(this.requireConsent),
				(this.jwksUri != null && !this.jwksUri.isBlank()) ? this.jwksUri.strip() : null, null, null,
				// The checkbox is on the page (with its hidden pkceChoice) only while authserver.require-pkce is off.
				Boolean.TRUE.equals(this.pkceChoice) ? Boolean.TRUE.equals(this.requirePkce) : null,
				(this.requestObjectSigningAlg != null && !this.requestObjectSigningAlg.isBlank())
						? this.requestObjectSigningAlg : null,
				Boolean.TRUE.equals(this.requireSignedRequestObject), Boolean.TRUE.equals(this.idTokenUserinfoClaims));
	}

	public boolean hasGrant(String grantType) {
		return this.grantTypes != null && this.grantTypes.contains(grantType);
	}

	public boolean hasScope(String scope) {
		return this.scopes != null && this.scopes.contains(scope);
	}

	private static List<String> lines(@Nullable String value) {
		if (value == null) {
			return List.of();
		}
		return Arrays.stream(value.split("\\R")).map(String::strip).filter((line) -> !line.isEmpty()).toList();
	}

}
