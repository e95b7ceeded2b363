package dev.authserver.admin;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.authserver.clients.ClientRegistrations;
import dev.authserver.clients.RequestObjectSettings;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * A registered client as the admin API shows it. It has no field for the secret: that appears only in
 * {@link ClientSecretResponse}, once.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClientResponse(@JsonProperty("client_id") String clientId, @JsonProperty("client_name") String clientName,
		@JsonProperty("client_type") String clientType,
		@JsonProperty("token_endpoint_auth_method") String tokenEndpointAuthMethod,
		@JsonProperty("grant_types") List<String> grantTypes, @JsonProperty("redirect_uris") List<String> redirectUris,
		@JsonProperty("post_logout_redirect_uris") List<String> postLogoutRedirectUris,
		@JsonProperty("scopes") List<String> scopes, @JsonProperty("require_consent") boolean requireConsent,
		@JsonProperty("require_pkce") boolean requirePkce, @JsonProperty("jwks_uri") @Nullable String jwksUri,
		@JsonProperty("token_endpoint_auth_signing_alg") @Nullable String tokenEndpointAuthSigningAlg,
		@JsonProperty("request_object_signing_alg") @Nullable String requestObjectSigningAlg,
		@JsonProperty("require_signed_request_object") boolean requireSignedRequestObject,
		@JsonProperty("id_token_userinfo_claims") boolean idTokenUserinfoClaims,
		@JsonProperty("enabled") boolean enabled, @JsonProperty("client_id_issued_at") @Nullable Instant issuedAt,
		@JsonProperty("previous_secret_valid_until") @Nullable Instant previousSecretValidUntil) {

	static ClientResponse of(RegisteredClient client, boolean disabled, @Nullable Instant previousSecretValidUntil) {
		return new ClientResponse(client.getClientId(), client.getClientName(),
				(client.getClientSecret() != null) ? "confidential" : "public",
				client.getClientAuthenticationMethods()
					.stream()
					.map(ClientAuthenticationMethod::getValue)
					.sorted()
					.findFirst()
					.orElse("none"),
				client.getAuthorizationGrantTypes().stream().map(AuthorizationGrantType::getValue).sorted().toList(),
				client.getRedirectUris().stream().sorted().toList(),
				client.getPostLogoutRedirectUris().stream().sorted().toList(),
				client.getScopes().stream().sorted().toList(), client.getClientSettings().isRequireAuthorizationConsent(),
				client.getClientSettings().isRequireProofKey(), client.getClientSettings().getJwkSetUrl(),
				(client.getClientSettings().getTokenEndpointAuthenticationSigningAlgorithm() != null)
						? client.getClientSettings().getTokenEndpointAuthenticationSigningAlgorithm().getName() : null,
				(client.getClientSettings().getSetting(RequestObjectSettings.SIGNING_ALGORITHM) instanceof String alg)
						? alg : null,
				Boolean.TRUE.equals(client.getClientSettings().getSetting(RequestObjectSettings.REQUIRE_SIGNED)),
				Boolean.TRUE.equals(client.getClientSettings().getSetting(ClientRegistrations.ID_TOKEN_USERINFO_CLAIMS)),
				!disabled,
				client.getClientIdIssuedAt(), previousSecretValidUntil);
	}

}
