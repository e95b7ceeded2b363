package dev.authserver.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import dev.authserver.AuthServerProperties;
import dev.authserver.admin.AdminAccess;
import dev.authserver.keys.PersistentJwkSource;
import dev.authserver.tokens.JwtAccessTokenProfile;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The filter chain of the admin API ({@code /api/admin/**}): a JWT access token we issued that carries the
 * {@code admin} scope (a client registered for it, with client_credentials), or the session of a signed-in user
 * whose account holds the {@code ADMIN} role now ({@link AdminAccess}). Everything else gets a 401 or 403 {@code ProblemDetail}, never a
 * redirect to the login page.
 */
@Configuration(proxyBeanMethods = false)
class AdminApiSecurityConfiguration {

	@Bean
	@Order(2)
	@ConditionalOnWebApplication
	SecurityFilterChain adminApiSecurityFilterChain(HttpSecurity http, AuthServerProperties properties,
			PersistentJwkSource signingKeys, OAuth2AuthorizationService authorizations, AdminAccess adminAccess) {
		JwtDecoder decoder = adminTokenDecoder(properties.issuer(), signingKeys, authorizations);
		// @formatter:off
		http
			.securityMatcher("/api/admin/**")
			.authorizeHttpRequests((authorize) -> authorize
				.anyRequest().access(adminAccess))
			.oauth2ResourceServer((resourceServer) -> resourceServer
				.jwt((jwt) -> jwt.decoder(decoder))
				.authenticationEntryPoint(problem(entryPoint(properties.issuer())))
				.accessDeniedHandler(problem(new BearerTokenAccessDeniedHandler(), properties.issuer())))
			// A bearer token cannot be sent by a cross-site form, so only session-authenticated requests need the
			// CSRF token (the console sends it).
			.csrf((csrf) -> csrf
				.ignoringRequestMatchers(bearerRequests()))
			.exceptionHandling((exceptions) -> exceptions
				.authenticationEntryPoint(problem(entryPoint(properties.issuer())))
				.accessDeniedHandler(problem(new BearerTokenAccessDeniedHandler(), properties.issuer())))
			.requestCache((cache) -> cache.disable())
			.headers((headers) -> headers
				.frameOptions((frameOptions) -> frameOptions.deny()));
		// @formatter:on
		return http.build();
	}

	/**
	 * The access token decoder of the protocol chain's resource server too (UserInfo, dynamic client registration):
	 * Spring's authorization server takes the {@link JwtDecoder} bean, and Spring Boot's would take an ID token for
	 * an access token.
	 */
	@Bean
	JwtDecoder accessTokenDecoder(AuthServerProperties properties, PersistentJwkSource signingKeys,
			OAuth2AuthorizationService authorizations) {
		return adminTokenDecoder(properties.issuer(), signingKeys, authorizations);
	}

	/**
	 * Tokens signed by one of our keys, with our issuer, unexpired, and still active in our authorization store
	 * (so a revoked grant or a disabled client loses access at once).
	 */
	static JwtDecoder adminTokenDecoder(String issuer, PersistentJwkSource signingKeys,
			OAuth2AuthorizationService authorizations) {
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(signingKeys)
			.jwsAlgorithms((algorithms) -> {
				algorithms.add(SignatureAlgorithm.RS256);
				algorithms.add(SignatureAlgorithm.ES256);
			})
			.build();
		OAuth2TokenValidator<Jwt> active = (jwt) -> {
			OAuth2Authorization authorization = authorizations.findByToken(jwt.getTokenValue(),
					OAuth2TokenType.ACCESS_TOKEN);
			OAuth2Authorization.Token<?> token = (authorization != null) ? authorization.getAccessToken() : null;
			return (token != null && token.isActive()) ? OAuth2TokenValidatorResult.success()
					: OAuth2TokenValidatorResult
						.failure(new OAuth2Error("invalid_token", "The access token is not active", null));
		};
		// RFC 9068 §4, RFC 8725 §3.11: only an access token (typ at+jwt) is one; an ID token, signed with the same
		// key, is refused, and so is an initial access token of dynamic registration (its own typ) (Spring's default would accept typ JWT, and refuse ours).
		JwtTypeValidator accessToken = new JwtTypeValidator(JwtAccessTokenProfile.TYPE, "application/at+jwt");
		decoder.setJwtValidator(
				JwtValidators.createDefaultWithValidators(accessToken, new JwtIssuerValidator(issuer), active));
		return decoder;
	}

	private static RequestMatcher bearerRequests() {
		return (request) -> {
			String authorization = request.getHeader("Authorization");
			return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
		};
	}

	// Spring's bearer handlers set the status and WWW-Authenticate (RFC 6750 §3); we add a ProblemDetail body.
	private static AuthenticationEntryPoint problem(BearerTokenAuthenticationEntryPoint delegate) {
		return (request, response, ex) -> {
			delegate.commence(request, response, ex);
			writeProblem(response, "Unauthorized", "Authentication is required: an admin access token or an "
					+ "admin's session.");
		};
	}

	// RFC 9728 §5.1: Spring builds resource_metadata from the request's Host header, which a caller chooses; ours comes
	// from the configured issuer, like every URL we hand out.
	static BearerTokenAuthenticationEntryPoint entryPoint(String issuer) {
		BearerTokenAuthenticationEntryPoint entryPoint = new BearerTokenAuthenticationEntryPoint();
		entryPoint.setResourceMetadataParameterResolver((request) -> issuer + "/.well-known/oauth-protected-resource");
		return entryPoint;
	}

	private static AccessDeniedHandler problem(BearerTokenAccessDeniedHandler delegate, String issuer) {
		AuthenticationEntryPoint unauthenticated = problem(entryPoint(issuer));
		return (request, response, ex) -> {
			// The CSRF filter refuses before anyone is authenticated: someone with no credentials gets a 401.
			Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
			if (authentication == null || authentication instanceof AnonymousAuthenticationToken) {
				unauthenticated.commence(request, response,
						new InsufficientAuthenticationException("Authentication is required"));
				return;
			}
			delegate.handle(request, response, ex);
			writeProblem(response, "Forbidden", "This needs the admin scope or the admin role (and, with a "
					+ "session, a valid CSRF token).");
		};
	}

	private static void writeProblem(HttpServletResponse response, String title, String detail) throws IOException {
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.getWriter()
			.write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + response.getStatus()
					+ ",\"detail\":\"" + detail + "\"}");
	}

}
