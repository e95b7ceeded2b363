package dev.authserver.security;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.authserver.AuthServerProperties;
import dev.authserver.PagesSecurityCustomizer;
import dev.authserver.admin.AdminProperties;
import dev.authserver.authorization.AuthorizationErrorResponseHandler;
import dev.authserver.authorization.AuthorizationResponseHandler;
import dev.authserver.authorization.ReauthenticationFilter;
import dev.authserver.clients.DynamicClientRegistration;
import dev.authserver.clients.AuthorizationCodeRequestValidator;
import dev.authserver.clients.ClientAssertionAuthenticationConverter;
import dev.authserver.clients.ClientAssertionDecoderFactory;
import dev.authserver.clients.ClientKeys;
import dev.authserver.clients.ClientSecretEncoder;
import dev.authserver.clients.InvalidClientResponse;
import dev.authserver.clients.PreviousClientSecrets;
import dev.authserver.clients.PublicClientRefreshAuthentication;
import dev.authserver.clients.AuthorizationRequestObjectFilter;
import dev.authserver.clients.RequestObjectSettings;
import dev.authserver.federation.IdpHintAuthenticationEntryPoint;
import dev.authserver.keys.PersistentJwkSource;
import dev.authserver.mfa.SecondFactorFilter;
import dev.authserver.sessions.RpInitiatedLogout;
import dev.authserver.tokens.AuthenticationLevel;
import dev.authserver.tokens.ClaimsRequestValidator;
import dev.authserver.tokens.ClientSubjects;
import dev.authserver.tokens.RefreshTokenRotation;
import dev.authserver.tokens.JwtAccessTokenProfile;
import dev.authserver.tokens.TokenIntrospectionRules;
import dev.authserver.tokens.UserInfoClaimsMapper;
import dev.authserver.users.UserAccountDetailsService;
import dev.authserver.web.ConsentPrompt;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.AccountStatusUserDetailsChecker;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.authentication.ClientSecretAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2RefreshTokenAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OidcConfigurer;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcClientConfigurationAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcClientRegistrationAuthenticationProvider;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.firewall.HttpStatusRequestRejectedHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The two filter chains: the protocol endpoints of the authorization server, and our own pages.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	// Grants and client authentication methods we offer and advertise. Spring also implements the device code and
	// token exchange grants and more client authentication methods; no client can be registered for those, and the
	// metadata does not list them.
	private static final List<String> GRANT_TYPES = List.of("authorization_code", "refresh_token",
			"client_credentials");

	private static final List<String> CLIENT_AUTHENTICATION_METHODS = List.of(
			ClientAuthenticationMethod.CLIENT_SECRET_BASIC.getValue(),
			ClientAuthenticationMethod.CLIENT_SECRET_POST.getValue(),
			ClientAuthenticationMethod.CLIENT_SECRET_JWT.getValue(), ClientAuthenticationMethod.PRIVATE_KEY_JWT.getValue(),
			ClientAuthenticationMethod.NONE.getValue());

	private static final String AUTHORIZATION_ENDPOINT = "/oauth2/authorize";

	private static final String CLIENT_REGISTRATION_ENDPOINT = "/connect/register";

	private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
			+ "style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
			+ "form-action 'self' http: https:; frame-ancestors 'none'";

	// The filter chains exist only in a web application: the re-encryption command (--authserver.crypto.reencrypt)
	// runs the server without one.
	@Bean
	@Order(1)
	@ConditionalOnWebApplication
	SecurityFilterChain authorizationServerSecurityFilterChain(HttpSecurity http, AuthServerProperties properties,
			UserInfoClaimsMapper userInfoClaimsMapper, RegisteredClientRepository registeredClients,
			RefreshTokenRotation refreshTokenRotation, ClientAssertionDecoderFactory clientAssertionDecoderFactory,
			PersistentJwkSource signingKeys, Clock clock, IdpHintAuthenticationEntryPoint loginEntryPoint,
			PreviousClientSecrets previousClientSecrets, AdminProperties admin,
			DynamicClientRegistration dynamicRegistration, ObjectProvider<SecondFactorFilter> secondFactor,
			RpInitiatedLogout rpInitiatedLogout, TokenIntrospectionRules introspectionRules, ClientKeys clientKeys) {
		// MFA: a person who still owes a second factor gets no authorization code (mfa.SecondFactorFilter). Added
		// first, so that it runs before the ReauthenticationFilter below (same position, insertion order).
		secondFactor.ifAvailable((filter) -> http.addFilterBefore(filter, AuthorizationFilter.class));
		if (admin.dynamicRegistration().enabled()) {
			// RFC 7592 §2.2, §2.3: update and delete at the client configuration endpoint (Spring only reads).
			http.addFilterAfter(dynamicRegistration.clientConfigurationFilter(CLIENT_REGISTRATION_ENDPOINT),
					BearerTokenAuthenticationFilter.class)
				// Only a bearer token authenticates there, never a cookie: no CSRF, and a missing token is a 401.
				.csrf((csrf) -> csrf.ignoringRequestMatchers(clientConfigurationChanges()));
		}
		ClientSecretEncoder clientSecretEncoder = new ClientSecretEncoder();
		InvalidClientResponse invalidClient = new InvalidClientResponse();
		AuthorizationCodeRequestValidator requestValidator = new AuthorizationCodeRequestValidator(
				properties.requirePkce());
		// OIDC Core §8.1: the sub a (pairwise) client sees, for the sub comparisons below
		ClientSubjects clientSubjects = http.getSharedObject(ApplicationContext.class).getBean(ClientSubjects.class);
		// @formatter:off
		http
			.oauth2AuthorizationServer((authorizationServer) -> {
				http.securityMatcher(admin.dynamicRegistration().enabled()
						? new OrRequestMatcher(authorizationServer.getEndpointsMatcher(), clientConfigurationChanges())
						: authorizationServer.getEndpointsMatcher());
				authorizationServer
					.authorizationEndpoint((authorization) -> authorization
						.consentPage("/oauth2/consent")
						.authenticationProviders((providers) -> providers.forEach((provider) -> {
							if (provider instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider codeRequest) {
								codeRequest.setAuthenticationValidator(
										requestValidator.andThen(new ClaimsRequestValidator(clientSubjects)));
								codeRequest.setAuthorizationConsentRequired(ConsentPrompt::required);
							}
						}))
						.authorizationResponseHandler(new AuthorizationResponseHandler())
						.errorResponseHandler(new AuthorizationErrorResponseHandler()))
					.clientAuthentication((clientAuthentication) -> clientAuthentication
						.errorResponseHandler(invalidClient)
						.authenticationConverters((converters) -> {
							converters.add(0, new ClientAssertionAuthenticationConverter());
							converters.add(PublicClientRefreshAuthentication.converter());
						})
						.authenticationProviders((providers) -> {
							providers.forEach((provider) -> {
								if (provider instanceof ClientSecretAuthenticationProvider clientSecret) {
									clientSecret.setPasswordEncoder(clientSecretEncoder);
								}
								if (provider instanceof JwtClientAssertionAuthenticationProvider clientAssertion) {
									clientAssertion.setJwtDecoderFactory(clientAssertionDecoderFactory);
								}
							});
							// A secret rotated with a grace period: the previous one is accepted until it ends.
							providers.replaceAll((provider) -> (provider instanceof ClientSecretAuthenticationProvider)
									? previousClientSecrets.accepting(provider) : provider);
							providers.add(0, PublicClientRefreshAuthentication.provider(registeredClients));
						}))
					.tokenEndpoint((token) -> token
						.authenticationProviders((providers) -> providers.replaceAll((provider) -> {
							if (provider instanceof OAuth2RefreshTokenAuthenticationProvider refresh) {
								return refreshTokenRotation.withReuseDetection(refresh);
							}
							if (provider instanceof OAuth2AuthorizationCodeAuthenticationProvider code) {
								return refreshTokenRotation.forCodeExchange(code);
							}
							return provider;
						})))
					.tokenIntrospectionEndpoint((introspection) -> introspection
						.authenticationProviders((providers) -> providers.replaceAll((provider) ->
							(provider instanceof OAuth2TokenIntrospectionAuthenticationProvider spring)
									? introspectionRules.withOwnTokensOnly(spring) : provider)))
					.authorizationServerMetadataEndpoint((metadata) -> metadata
						.authorizationServerMetadataCustomizer((builder) -> builder
							.grantTypes(SecurityConfiguration::ourGrantTypes)
							.tokenEndpointAuthenticationMethods(SecurityConfiguration::ourTokenEndpointMethods)
							.tokenIntrospectionEndpointAuthenticationMethods(SecurityConfiguration::ourConfidentialMethods)
							.tokenRevocationEndpointAuthenticationMethods(SecurityConfiguration::ourConfidentialMethods)
							.claims(SecurityConfiguration::ourClaims)))
					.oidc((oidc) -> dynamicClientRegistration(oidc, admin, dynamicRegistration, clientSecretEncoder)
						.providerConfigurationEndpoint((configuration) -> configuration
							.providerConfigurationCustomizer((builder) -> builder
								.grantTypes(SecurityConfiguration::ourGrantTypes)
								.tokenEndpointAuthenticationMethods(SecurityConfiguration::ourTokenEndpointMethods)
								.tokenIntrospectionEndpointAuthenticationMethods(SecurityConfiguration::ourConfidentialMethods)
								.tokenRevocationEndpointAuthenticationMethods(SecurityConfiguration::ourConfidentialMethods)
								.scopes((scopes) -> scopes.addAll(List.of("profile", "email", "roles", "groups")))
								.idTokenSigningAlgorithms((algorithms) -> ourSigningAlgorithms(algorithms, signingKeys))
								.claims(SecurityConfiguration::ourClaims)
								.claim("claims_supported", UserInfoClaimsMapper.CLAIMS_SUPPORTED)
								// OIDC Core §5.5 (tokens.ClaimsRequest)
								.claim("claims_parameter_supported", true)
								// OIDC Core §8: public subjects, or pairwise ones per sector (tokens.ClientSubjects)
								.claim("subject_types_supported", List.of("public", "pairwise"))
								.claim("acr_values_supported", AuthenticationLevel.ACR_VALUES_SUPPORTED)))
						.userInfoEndpoint((userInfo) -> userInfo
							.userInfoMapper(userInfoClaimsMapper))
						// RP-Initiated Logout 1.0 §2: without id_token_hint the person confirms; errors get a page.
						.logoutEndpoint((logout) -> rpInitiatedLogout.configure(logout)
							.errorResponseHandler(new AuthorizationErrorResponseHandler())));
			})
			.authorizeHttpRequests((authorize) -> authorize
				.anyRequest().authenticated())
			.addFilterBefore(new ReauthenticationFilter("/oauth2/authorize", clock, clientSubjects::subjectForClientId),
					AuthorizationFilter.class)
			// OIDC Core §6.1: request objects are verified and merged before Spring (or any filter) reads the request.
			.addFilterAfter(new AuthorizationRequestObjectFilter(AUTHORIZATION_ENDPOINT, properties.issuer(),
					registeredClients, clientKeys, new AuthorizationErrorResponseHandler()), CsrfFilter.class)
			// RFC 6750 §2.2: UserInfo also takes the access token in a form-encoded POST body (OIDC Core §5.3.1).
			.oauth2ResourceServer((resourceServer) -> resourceServer
				.bearerTokenResolver(formBodyBearerTokens())
				// RFC 9728 §5.1: resource_metadata under our issuer, never the caller's Host header.
				.authenticationEntryPoint(AdminApiSecurityConfiguration.entryPoint(properties.issuer()))
				.jwt((jwt) -> jwt
					.decoder(bearerTokenDecoder(properties.issuer(), signingKeys))))
			// People who reach the authorization endpoint (GET or POST, whatever their Accept header) without a session
			// go to our login page, or straight to Google or GitHub when the client sent idp_hint=google|github, and
			// come back to the request afterwards; the API endpoints answer 401 (OIDC Core §3.1.2.1).
			.exceptionHandling((exceptions) -> exceptions
				// RFC 6749 §5.2: a request with no client authentication gets a JSON invalid_client, not an empty 401.
				.defaultAuthenticationEntryPointFor(invalidClient, clientEndpoints())
				.defaultAuthenticationEntryPointFor(loginEntryPoint, authorizationEndpoint())
				.defaultAuthenticationEntryPointFor(AdminApiSecurityConfiguration.entryPoint(properties.issuer()),
					AnyRequestMatcher.INSTANCE))
			.requestCache((cache) -> cache
				.requestCache(new AuthorizationRequestCache(AUTHORIZATION_ENDPOINT)))
			.headers(SecurityConfiguration::pageHeaders);
		// @formatter:on
		return http.build();
	}

	// Order 2 is the admin API's chain (AdminApiSecurityConfiguration).
	@Bean
	@Order(3)
	@ConditionalOnWebApplication
	SecurityFilterChain pagesSecurityFilterChain(HttpSecurity http,
			ObjectProvider<PagesSecurityCustomizer> featureCustomizers) {
		featureCustomizers.orderedStream().forEach((customizer) -> customizer.customize(http));
		// @formatter:off
		http
			.authorizeHttpRequests((authorize) -> authorize
				.requestMatchers("/login", "/error", "/css/**", "/img/**", "/favicon.ico").permitAll()
				.anyRequest().authenticated())
			.formLogin((formLogin) -> formLogin
				.loginPage("/login")
				.failureUrl("/login?error"))
			.logout((logout) -> logout
				.logoutSuccessUrl("/login?logout"))
			// The session id changes at sign-in (Spring's default change-session-id strategy, stated here on purpose).
			.sessionManagement((sessions) -> sessions
				.sessionFixation((fixation) -> fixation.changeSessionId()))
			.headers(SecurityConfiguration::pageHeaders);
		// @formatter:on
		return http.build();
	}

	/**
	 * Password sign-in, with every account check made after the password check so that a disabled account cannot
	 * be told apart from a wrong password by its answer or its timing.
	 */
	@Bean
	AuthenticationProvider userAccountAuthenticationProvider(UserAccountDetailsService userDetailsService,
			PasswordEncoder passwordEncoder) {
		DaoAuthenticationProvider provider = new DaoAuthenticationProvider(userDetailsService);
		provider.setPasswordEncoder(passwordEncoder);
		provider.setUserDetailsPasswordService(userDetailsService);
		provider.setPreAuthenticationChecks((user) -> {
		});
		provider.setPostAuthenticationChecks(new AccountStatusUserDetailsChecker());
		return provider;
	}

	/**
	 * User passwords: bcrypt for new hashes; older formats ({@code {pbkdf2}}, {@code {sha256}}, ...) still verify
	 * and are re-hashed at the next successful sign-in.
	 */
	@Bean
	PasswordEncoder passwordEncoder() {
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	@Bean
	RequestRejectedHandler requestRejectedHandler() {
		// Spring's firewall rejects malformed URLs (encoded slashes, "..", control characters): a 400, not a 500.
		return new HttpStatusRequestRejectedHandler(HttpStatus.BAD_REQUEST.value());
	}

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	// OpenID Connect Dynamic Client Registration, only when enabled: with an initial access token an admin issued,
	// and the same validation as the admin API.
	private static OidcConfigurer dynamicClientRegistration(OidcConfigurer oidc, AdminProperties admin,
			DynamicClientRegistration dynamicRegistration, ClientSecretEncoder clientSecretEncoder) {
		if (!admin.dynamicRegistration().enabled()) {
			return oidc;
		}
		// @formatter:off
		return oidc
			.clientRegistrationEndpoint((registration) -> registration
				.authenticationProviders((providers) -> providers.replaceAll((provider) -> {
					if (provider instanceof OidcClientRegistrationAuthenticationProvider register) {
						register.setAuthenticationValidator(dynamicRegistration.authenticationValidator());
						register.setRegisteredClientConverter(dynamicRegistration.registeredClientConverter());
						register.setClientRegistrationConverter(dynamicRegistration.registrationResponseConverter());
						// The client repository encrypts the clear secret; Spring's default would bcrypt it.
						register.setPasswordEncoder(clientSecretEncoder);
						// OIDC Dynamic Client Registration §2: private_key_jwt with inline jwks, no jwks_uri.
						return dynamicRegistration.withInlineJwks(register);
					}
					// RFC 7592: a read of the client's configuration never shows its secret.
					if (provider instanceof OidcClientConfigurationAuthenticationProvider configuration) {
						configuration.setClientRegistrationConverter(dynamicRegistration.clientConfigurationConverter());
					}
					return provider;
				})));
		// @formatter:on
	}

	private static void ourGrantTypes(List<String> grantTypes) {
		grantTypes.clear();
		grantTypes.addAll(GRANT_TYPES);
	}

	private static void ourTokenEndpointMethods(List<String> methods) {
		methods.clear();
		methods.addAll(CLIENT_AUTHENTICATION_METHODS);
	}

	// Introspection and revocation need an authenticated client: "none" does not apply there.
	private static void ourConfidentialMethods(List<String> methods) {
		methods.retainAll(CLIENT_AUTHENTICATION_METHODS);
		methods.remove(ClientAuthenticationMethod.NONE.getValue());
	}

	// Read per request: during a change of algorithm both the old and the new one can appear in valid tokens.
	private static void ourSigningAlgorithms(List<String> algorithms, PersistentJwkSource signingKeys) {
		algorithms.clear();
		algorithms.addAll(signingKeys.signingAlgorithms());
	}

	private static void ourClaims(Map<String, Object> claims) {
		// We do not terminate TLS, so we cannot bind tokens to client certificates (RFC 8705).
		claims.remove("tls_client_certificate_bound_access_tokens");
		// RFC 9207: every authorization response names its issuer (AuthorizationResponseHandler).
		claims.put("authorization_response_iss_parameter_supported", true);
		RequestObjectSettings.advertise(claims);
	}

	// Access tokens authenticate the UserInfo endpoint only: on any other endpoint of this chain a bearer token must
	// not stand in for a signed-in person (an access token at /oauth2/authorize would otherwise issue codes).
	private static BearerTokenResolver formBodyBearerTokens() {
		DefaultBearerTokenResolver resolver = new DefaultBearerTokenResolver();
		resolver.setAllowFormEncodedBodyParameter(true);
		// The initial access token of dynamic client registration is a bearer token too (RFC 7591 §3).
		return (request) -> ("/userinfo".equals(request.getServletPath())
				|| "/connect/register".equals(request.getServletPath())) ? resolver.resolve(request) : null;
	}

	// RFC 9068 §4, RFC 8725 §3.11: only our access tokens (typ at+jwt) at UserInfo, never an ID token signed with the
	// same key; at the registration endpoint also the initial access tokens of dynamic registration, whose own typ
	// keeps them out of every other endpoint.
	private static JwtDecoder bearerTokenDecoder(String issuer, PersistentJwkSource signingKeys) {
		JOSEObjectType accessToken = new JOSEObjectType(JwtAccessTokenProfile.TYPE);
		JOSEObjectType accessTokenMediaType = new JOSEObjectType("application/" + JwtAccessTokenProfile.TYPE);
		JwtDecoder accessTokens = bearerTokenDecoder(issuer, signingKeys, accessToken, accessTokenMediaType);
		JwtDecoder registrationTokens = bearerTokenDecoder(issuer, signingKeys, accessToken, accessTokenMediaType,
				new JOSEObjectType(DynamicClientRegistration.INITIAL_ACCESS_TOKEN_TYPE));
		return (token) -> (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request
				&& "/connect/register".equals(request.getRequest().getServletPath())) ? registrationTokens.decode(token)
						: accessTokens.decode(token);
	}

	private static JwtDecoder bearerTokenDecoder(String issuer, PersistentJwkSource signingKeys,
			JOSEObjectType... types) {
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(signingKeys)
			.jwsAlgorithms((algorithms) -> {
				algorithms.add(SignatureAlgorithm.RS256);
				algorithms.add(SignatureAlgorithm.ES256);
			})
			.jwtProcessorCustomizer((processor) -> processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(types)))
			.build();
		// The type is checked above; Spring's default validators would accept JWT alone.
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(new JwtTimestampValidator(),
				new JwtIssuerValidator(issuer)));
		return decoder;
	}

	// RFC 7592: PUT and DELETE at the client configuration endpoint, which Spring's endpoints matcher leaves out.
	private static RequestMatcher clientConfigurationChanges() {
		return new OrRequestMatcher(
				PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.PUT, CLIENT_REGISTRATION_ENDPOINT),
				PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.DELETE, CLIENT_REGISTRATION_ENDPOINT));
	}

	private static RequestMatcher authorizationEndpoint() {
		return PathPatternRequestMatcher.withDefaults().matcher(AUTHORIZATION_ENDPOINT);
	}

	// The endpoints where the caller is a client that must authenticate.
	private static RequestMatcher clientEndpoints() {
		return (request) -> Set.of("/oauth2/token", "/oauth2/introspect", "/oauth2/revoke")
			.contains(request.getServletPath());
	}

	private static void pageHeaders(
			HeadersConfigurer<HttpSecurity> headers) {
		// @formatter:off
		headers
			.frameOptions((frameOptions) -> frameOptions.deny())
			.contentSecurityPolicy((csp) -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
			.referrerPolicy((referrer) -> referrer.policy(ReferrerPolicy.NO_REFERRER));
		// @formatter:on
	}

}
