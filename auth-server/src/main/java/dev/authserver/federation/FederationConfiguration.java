package dev.authserver.federation;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.authserver.AuthServerProperties;
import dev.authserver.mfa.RecentSignIn;
import dev.authserver.PagesSecurityCustomizer;
import dev.authserver.users.UserAccountDetailsService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.endpoint.RestClientAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.http.OAuth2ErrorResponseErrorHandler;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenValidator;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenDecoderFactory;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.userinfo.DefaultOAuth2UserService;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.http.converter.OAuth2AccessTokenResponseHttpMessageConverter;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/**
 * Sign-in with Google and GitHub on the pages chain: Spring Security's OAuth 2.0 login with our registrations, PKCE,
 * timeouts on every call to a provider, and our success and failure handlers.
 */
@Configuration(proxyBeanMethods = false)
class FederationConfiguration {

	static final String GOOGLE = "google";

	static final String GITHUB = "github";

	@Bean
	FederatedClientRegistrations federatedClientRegistrations(FederationProperties properties,
			AuthServerProperties serverProperties) {
		return new FederatedClientRegistrations(properties, serverProperties.issuer());
	}

	@Bean
	IdpHintAuthenticationEntryPoint idpHintAuthenticationEntryPoint(FederatedClientRegistrations registrations) {
		return new IdpHintAuthenticationEntryPoint(registrations);
	}

	/**
	 * ID token decoders for the OIDC providers (found by Spring's OAuth 2.0 login as a bean): signature from the
	 * configured JWK set, fetched with timeouts; {@code iss}, {@code aud}, {@code exp}, {@code iat} checked by
	 * Spring's {@link OidcIdTokenValidator}; {@code nonce} by the login provider itself.
	 */
	@Bean
	JwtDecoderFactory<ClientRegistration> federationIdTokenDecoderFactory(FederationProperties properties) {
		RestTemplate jwkSetClient = new RestTemplate(requestFactory(properties));
		Map<String, JwtDecoder> decoders = new ConcurrentHashMap<>();
		return (registration) -> decoders.computeIfAbsent(registration.getRegistrationId(), (registrationId) -> {
			NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(registration.getProviderDetails().getJwkSetUri())
				.jwsAlgorithm(SignatureAlgorithm.RS256)
				.restOperations(jwkSetClient)
				.build();
			decoder.setJwtValidator(JwtValidators.createDefaultWithValidators(new OidcIdTokenValidator(registration)));
			decoder.setClaimSetConverter(OidcIdTokenDecoderFactory.createDefaultClaimTypeConverter());
			return decoder;
		});
	}

	@Bean
	PagesSecurityCustomizer federationPagesSecurityCustomizer(FederatedClientRegistrations registrations,
			FederationProperties properties, FederatedSignIn signIn, UserAccountDetailsService userDetails,
			ApplicationEventPublisher events, Clock clock, RecentSignIn recentSignIn) {
		return (http) -> {
			// @formatter:off
			http
				.authorizeHttpRequests((authorize) -> authorize
					.requestMatchers(FederationController.ERROR_PATH, FederationController.LINK_PATH).permitAll());
			// @formatter:on
			if (registrations.isEmpty()) {
				return;
			}
			SimpleClientHttpRequestFactory requestFactory = requestFactory(properties);
			SecurityContextRepository securityContextRepository = new DelegatingSecurityContextRepository(
					new RequestAttributeSecurityContextRepository(), new HttpSessionSecurityContextRepository());
			var authorizationRequests = new DefaultOAuth2AuthorizationRequestResolver(registrations,
					"/oauth2/authorization");
			// RFC 9700 §2.1.1: PKCE (S256) towards the providers too, although we are a confidential client.
			authorizationRequests.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
			// @formatter:off
			http
				.oauth2Login((login) -> login
					.loginPage("/login")
					.clientRegistrationRepository(registrations)
					.authorizedClientRepository(new NoAuthorizedClients())
					.securityContextRepository(securityContextRepository)
					.authorizationEndpoint((authorization) -> authorization
						.authorizationRequestResolver(authorizationRequests)
						.authorizationRequestRepository(new CallbackBoundAuthorizationRequestRepository()))
					.tokenEndpoint((token) -> token
						.accessTokenResponseClient(tokenResponseClient(requestFactory)))
					.userInfoEndpoint((userInfo) -> userInfo
						.userService(gitHubUserService(properties, requestFactory))
						.oidcUserService(new GoogleUserService(properties.google().hostedDomains())))
					.successHandler(new FederatedIdentityAuthenticationSuccessHandler(signIn, userDetails,
							securityContextRepository, events, clock, recentSignIn))
					.failureHandler(new FederatedLoginFailureHandler(registrations, events, clock)));
			// @formatter:on
		};
	}

	private static RestClientAuthorizationCodeTokenResponseClient tokenResponseClient(
			SimpleClientHttpRequestFactory requestFactory) {
		// Spring's own RestClient for the token endpoint, plus timeouts: a slow provider must not hold a thread.
		RestClientAuthorizationCodeTokenResponseClient client = new RestClientAuthorizationCodeTokenResponseClient();
		// @formatter:off
		client.setRestClient(RestClient.builder()
			.requestFactory(requestFactory)
			.configureMessageConverters((converters) -> {
				converters.addCustomConverter(new FormHttpMessageConverter());
				converters.addCustomConverter(new OAuth2AccessTokenResponseHttpMessageConverter());
			})
			.defaultStatusHandler(new OAuth2ErrorResponseErrorHandler())
			.build());
		// @formatter:on
		return client;
	}

	private static GitHubUserService gitHubUserService(FederationProperties properties,
			SimpleClientHttpRequestFactory requestFactory) {
		RestTemplate userApi = new RestTemplate(requestFactory);
		userApi.setErrorHandler(new OAuth2ErrorResponseErrorHandler());
		DefaultOAuth2UserService users = new DefaultOAuth2UserService();
		users.setRestOperations(userApi);
		return new GitHubUserService(users, RestClient.builder().requestFactory(requestFactory).build(),
				properties.github().emailsUri());
	}

	private static SimpleClientHttpRequestFactory requestFactory(FederationProperties properties) {
		SimpleClientHttpRequestFactory requestFactory = new SimpleClientHttpRequestFactory();
		requestFactory.setConnectTimeout(properties.connectTimeout());
		requestFactory.setReadTimeout(properties.readTimeout());
		return requestFactory;
	}

	/**
	 * Provider access tokens are used once, to read who the person is, and then dropped: none is kept in memory, in
	 * the session or in the database.
	 */
	static final class NoAuthorizedClients implements OAuth2AuthorizedClientRepository {

		@Override
		public <T extends OAuth2AuthorizedClient> @Nullable T loadAuthorizedClient(String clientRegistrationId,
				@Nullable Authentication principal, HttpServletRequest request) {
			return null;
		}

		@Override
		public void saveAuthorizedClient(OAuth2AuthorizedClient authorizedClient, @Nullable Authentication principal,
				HttpServletRequest request, HttpServletResponse response) {
		}

		@Override
		public void removeAuthorizedClient(String clientRegistrationId, @Nullable Authentication principal,
				HttpServletRequest request, HttpServletResponse response) {
		}

	}

}
