package dev.authserver.federation;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;

/**
 * A {@link ClientRegistrationRepository} of the providers that have a client id configured, and nothing else: a
 * provider without one is not offered anywhere.
 */
final class FederatedClientRegistrations implements ClientRegistrationRepository, Iterable<ClientRegistration> {

	private final Map<String, ClientRegistration> registrations = new LinkedHashMap<>();

	FederatedClientRegistrations(FederationProperties properties, String issuer) {
		FederationProperties.Google google = properties.google();
		if (google.enabled()) {
			this.registrations.put(FederationConfiguration.GOOGLE, ClientRegistration
				.withRegistrationId(FederationConfiguration.GOOGLE)
				.clientName("Google")
				.clientId(google.clientId())
				.clientSecret(google.clientSecret())
				.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
				.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
				.redirectUri(redirectUri(issuer, FederationConfiguration.GOOGLE))
				.scope("openid", "email", "profile")
				.authorizationUri(google.authorizationUri())
				.tokenUri(google.tokenUri())
				.jwkSetUri(google.jwkSetUri())
				// OidcIdTokenValidator compares the ID token's iss with this, exactly (OIDC Core 1.0 §3.1.3.7).
				.issuerUri(google.issuer())
				.userNameAttributeName(IdTokenClaimNames.SUB)
				.build());
		}
		FederationProperties.GitHub github = properties.github();
		if (github.enabled()) {
			this.registrations.put(FederationConfiguration.GITHUB, ClientRegistration
				.withRegistrationId(FederationConfiguration.GITHUB)
				.clientName("GitHub")
				.clientId(github.clientId())
				.clientSecret(github.clientSecret())
				.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
				.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
				.redirectUri(redirectUri(issuer, FederationConfiguration.GITHUB))
				.scope("read:user", "user:email")
				.authorizationUri(github.authorizationUri())
				.tokenUri(github.tokenUri())
				.userInfoUri(github.userUri())
				// The numeric id, never the login (renamable) nor the email.
				.userNameAttributeName("id")
				.build());
		}
	}

	// From the configured issuer, never from the request's Host or X-Forwarded-* headers.
	private static String redirectUri(String issuer, String registrationId) {
		return issuer + "/login/oauth2/code/" + registrationId;
	}

	@Override
	public @Nullable ClientRegistration findByRegistrationId(String registrationId) {
		return this.registrations.get(registrationId);
	}

	@Override
	public Iterator<ClientRegistration> iterator() {
		return this.registrations.values().iterator();
	}

	/** The registration ids offered, in the order the buttons appear. */
	public List<String> offered() {
		return List.copyOf(this.registrations.keySet());
	}

	public boolean isOffered(@Nullable String registrationId) {
		return registrationId != null && this.registrations.containsKey(registrationId);
	}

	boolean isEmpty() {
		return this.registrations.isEmpty();
	}

}
