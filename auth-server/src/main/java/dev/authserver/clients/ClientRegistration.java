package dev.authserver.clients;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * What an admin (or a dynamically registering client) may choose about a client: everything else (ids, secrets,
 * timestamps) is the server's. Unknown fields are refused, so a caller cannot believe it set a {@code client_id} or
 * a {@code client_secret}.
 *
 * @param clientName shown on the consent page
 * @param redirectUris where codes may be sent (exact strings)
 * @param postLogoutRedirectUris where RP-initiated logout may return
 * @param grantTypes {@code authorization_code}, {@code refresh_token}, {@code client_credentials}
 * @param tokenEndpointAuthMethod one of our methods; {@code none} makes a public client (PKCE, no secret)
 * @param scopes from the known set
 * @param requireConsent whether users see the consent page (default true)
 * @param jwksUri the client's JWK set URL, for {@code private_key_jwt}
 * @param jwks the client's JWK set inline (public keys), for {@code private_key_jwt}, instead of a {@code jwksUri}
 * @param tokenEndpointAuthSigningAlg the algorithm of the client's assertions: RS256 (default), RS384, RS512, PS256,
 * PS384, PS512, ES256, ES384, ES512 for {@code private_key_jwt}; HS256 (default), HS384, HS512 for
 * {@code client_secret_jwt}
 * @param requirePkce whether a confidential client must use PKCE (default true); only {@code false} while
 * {@code authserver.require-pkce} is off, and never for a public client
 * @param requestObjectSigningAlg the one algorithm of the client's request objects ({@link RequestObjectSettings});
 * {@code none} accepts unsigned ones
 * @param requireSignedRequestObject whether every authorization request must come as a signed request object
 * @param idTokenUserinfoClaims whether ID tokens carry the granted scopes' claims also when an access token is
 * issued
 */
public record ClientRegistration(@JsonProperty("client_name") @Nullable String clientName,
		@JsonProperty("redirect_uris") @Nullable List<String> redirectUris,
		@JsonProperty("post_logout_redirect_uris") @Nullable List<String> postLogoutRedirectUris,
		@JsonProperty("grant_types") @Nullable List<String> grantTypes,
		@JsonProperty("token_endpoint_auth_method") @Nullable String tokenEndpointAuthMethod,
		@JsonProperty("scopes") @Nullable List<String> scopes,
		@JsonProperty("require_consent") @Nullable Boolean requireConsent,
		@JsonProperty("jwks_uri") @Nullable String jwksUri, @JsonProperty("jwks") @Nullable Map<String, Object> jwks,
		@JsonProperty("token_endpoint_auth_signing_alg") @Nullable String tokenEndpointAuthSigningAlg,
		@JsonProperty("require_pkce") @Nullable Boolean requirePkce,
		@JsonProperty("request_object_signing_alg") @Nullable String requestObjectSigningAlg,
		@JsonProperty("require_signed_request_object") @Nullable Boolean requireSignedRequestObject,
		@JsonProperty("id_token_userinfo_claims") @Nullable Boolean idTokenUserinfoClaims) {

	public ClientRegistration(@Nullable String clientName, @Nullable List<String> redirectUris,
			@Nullable List<String> postLogoutRedirectUris, @Nullable List<String> grantTypes,
			@Nullable String tokenEndpointAuthMethod, @Nullable List<String> scopes, @Nullable Boolean requireConsent,
			@Nullable String jwksUri, @Nullable Map<String, Object> jwks, @Nullable String tokenEndpointAuthSigningAlg,
			@Nullable Boolean requirePkce) {
		this(clientName, redirectUris, postLogoutRedirectUris, grantTypes, tokenEndpointAuthMethod, scopes,
				requireConsent, jwksUri, jwks, tokenEndpointAuthSigningAlg, requirePkce, null, null, null);
	}

	public ClientRegistration(@Nullable String clientName, @Nullable List<String> redirectUris,
			@Nullable List<String> postLogoutRedirectUris, @Nullable List<String> grantTypes,
			@Nullable String tokenEndpointAuthMethod, @Nullable List<String> scopes, @Nullable Boolean requireConsent,
			@Nullable String jwksUri) {
		this(clientName, redirectUris, postLogoutRedirectUris, grantTypes, tokenEndpointAuthMethod, scopes,
				requireConsent, jwksUri, null, null, null, null, null, null);
	}

	List<String> redirectUrisOrEmpty() {
		return (this.redirectUris != null) ? this.redirectUris : List.of();
	}

	List<String> postLogoutRedirectUrisOrEmpty() {
		return (this.postLogoutRedirectUris != null) ? this.postLogoutRedirectUris : List.of();
	}

	List<String> grantTypesOrEmpty() {
		return (this.grantTypes != null) ? this.grantTypes : List.of();
	}

	List<String> scopesOrEmpty() {
		return (this.scopes != null) ? this.scopes : List.of();
	}

	boolean isPublic() {
		return "none".equals(this.tokenEndpointAuthMethod);
	}

}
