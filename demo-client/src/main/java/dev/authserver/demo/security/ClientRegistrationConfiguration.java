package dev.authserver.demo.security;

import java.util.Map;

import dev.authserver.demo.DemoClientProperties;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.RefreshTokenOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.endpoint.OAuth2AccessTokenResponseClient;
import org.springframework.security.oauth2.client.endpoint.OAuth2RefreshTokenGrantRequest;
import org.springframework.security.oauth2.client.endpoint.RestClientRefreshTokenTokenResponseClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistration.ClientSettings;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.HttpSessionOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.AuthenticationMethod;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;
import org.springframework.security.oauth2.core.oidc.OidcScopes;

/**
 * Declares the demo's one {@link ClientRegistration} and where its tokens are kept.
 */
@Configuration(proxyBeanMethods = false)
class ClientRegistrationConfiguration {

	static final String REGISTRATION_ID = "demo";

	@Bean
	ClientRegistrationRepository clientRegistrationRepository(DemoClientProperties properties) {
		return new InMemoryClientRegistrationRepository(demoClientRegistration(properties));
	}

	// Tokens live in the browser's session rather than Boot's default process-wide map keyed by user name: two
	// browsers of one user get independent grants, and signing out (which ends the session) drops the tokens
	@Bean
	OAuth2AuthorizedClientRepository authorizedClientRepository() {
		return new HttpSessionOAuth2AuthorizedClientRepository();
	}

	@Bean
	RestClientRefreshTokenTokenResponseClient refreshTokenTokenResponseClient() {
		return new RestClientRefreshTokenTokenResponseClient();
	}

	@Bean
	OAuth2AuthorizedClientManager authorizedClientManager(ClientRegistrationRepository clientRegistrations,
			OAuth2AuthorizedClientRepository authorizedClients,
			OAuth2AccessTokenResponseClient<OAuth2RefreshTokenGrantRequest> refreshTokenTokenResponseClient,
			ApplicationEventPublisher eventPublisher) {
		RefreshTokenOAuth2AuthorizedClientProvider refreshToken = new RefreshTokenOAuth2AuthorizedClientProvider();
		refreshToken.setAccessTokenResponseClient(refreshTokenTokenResponseClient);
		// The refreshed event lets Spring Security's OIDC listener validate a new ID token (OIDC Core 1.0 §12.2)
		// and put the refreshed user into the security context
		refreshToken.setApplicationEventPublisher(eventPublisher);
		OAuth2AuthorizedClientProvider provider = OAuth2AuthorizedClientProviderBuilder.builder()
			.authorizationCode()
			.provider(refreshToken)
			.build();
		DefaultOAuth2AuthorizedClientManager manager = new DefaultOAuth2AuthorizedClientManager(clientRegistrations,
				authorizedClients);
		manager.setAuthorizedClientProvider(provider);
		return manager;
	}

	/**
	 * Builds the registration from the issuer alone, without OIDC discovery, so that the demo starts even while
	 * the authorization server is down.
	 * @param properties the demo's settings
	 * @return the {@code demo} registration
	 */
	static ClientRegistration demoClientRegistration(DemoClientProperties properties) {
		String issuer = properties.issuer();
		// @formatter:off
		return ClientRegistration.withRegistrationId(REGISTRATION_ID)
			.clientName("Acme Notes")
			.clientId(properties.clientId())
			.clientSecret(properties.clientSecret())
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
			.scope(OidcScopes.OPENID, OidcScopes.PROFILE, OidcScopes.EMAIL)
			.authorizationUri(issuer + "/oauth2/authorize")
			.tokenUri(issuer + "/oauth2/token")
			.jwkSetUri(issuer + "/oauth2/jwks")
			.userInfoUri(issuer + "/userinfo")
			.userInfoAuthenticationMethod(AuthenticationMethod.HEADER)
			.userNameAttributeName(IdTokenClaimNames.SUB)
			// OidcIdTokenValidator checks the ID token's iss only when the registration knows its issuer
			.issuerUri(issuer)
			// OidcClientInitiatedLogoutSuccessHandler finds the RP-initiated logout endpoint here
			.providerConfigurationMetadata(Map.of("end_session_endpoint", issuer + "/connect/logout"))
			// RFC 9700 §2.1.1: confidential clients use PKCE too. Spring Security 7 already defaults to true;
			// saying so here keeps a change of that default from silently dropping code_challenge
			.clientSettings(ClientSettings.builder().requireProofKey(true).build())
			.build();
		// @formatter:on
	}

}
