package dev.authserver.clients;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.oidc.OidcClientMetadataClaimNames;
import org.springframework.security.oauth2.server.authorization.oidc.OidcClientRegistration;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcClientConfigurationAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.oidc.authentication.OidcClientRegistrationAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.oidc.http.converter.OidcClientRegistrationHttpMessageConverter;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Update ({@code PUT}) and delete ({@code DELETE}) at the client configuration endpoint (RFC 7592 §2.2, §2.3), which
 * Spring only reads. The registration access token is checked by Spring's own
 * {@link OidcClientConfigurationAuthenticationProvider}, exactly as for a read; an update passes the same checks as a
 * registration ({@link DynamicClientRegistration#check}); both are audited ({@link ClientUpdated},
 * {@link ClientDeleted}).
 * <ul>
 * <li>PUT: the body's {@code client_id} must be the client's; a {@code client_secret}, if sent, must be its secret
 * (RFC 7592 §2.2); the secret is never returned. Answers the client's configuration (200).</li>
 * <li>DELETE: the client, its grants and its registration access token are gone (204).</li>
 * </ul>
 * Errors are RFC 7591 §3.2.2 JSON: {@code invalid_client_metadata} / {@code invalid_redirect_uri} (400), and
 * {@code invalid_token} (401) for a token that is missing, not valid, or not the client's.
 */
final class ClientConfigurationFilter extends OncePerRequestFilter {

	// Metadata a client must not send in an update (RFC 7592 §2.2) or that only the server sets: ignored.
	private static final List<String> SERVER_METADATA = List.of("registration_access_token",
			OidcClientMetadataClaimNames.REGISTRATION_CLIENT_URI, OidcClientMetadataClaimNames.CLIENT_ID_ISSUED_AT,
			OidcClientMetadataClaimNames.CLIENT_SECRET_EXPIRES_AT, OidcClientMetadataClaimNames.CLIENT_SECRET,
			OidcClientMetadataClaimNames.CLIENT_ID);

	private final String endpoint;

	private final DynamicClientRegistration registration;

	private final RegisteredClientRepository storedClients;

	private final OidcClientConfigurationAuthenticationProvider tokenCheck;

	private final OidcClientRegistrationHttpMessageConverter metadataConverter =
			new OidcClientRegistrationHttpMessageConverter();

	private final OAuth2ErrorHttpMessageConverter errorConverter = new OAuth2ErrorHttpMessageConverter();

	private final ClientSecretEncoder secrets = new ClientSecretEncoder();

	ClientConfigurationFilter(String endpoint, DynamicClientRegistration registration,
			RegisteredClientRepository storedClients, OidcClientConfigurationAuthenticationProvider tokenCheck) {
		this.endpoint = endpoint;
		this.registration = registration;
		this.storedClients = storedClients;
		this.tokenCheck = tokenCheck;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String method = request.getMethod();
		return !(("PUT".equals(method) || "DELETE".equals(method))
				&& this.endpoint.equals(request.getRequestURI().substring(request.getContextPath().length())));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String[] clientIds = request.getParameterValues(OidcClientMetadataClaimNames.CLIENT_ID);
		Authentication token = SecurityContextHolder.getContext().getAuthentication();
		if (clientIds == null || clientIds.length != 1 || !(token instanceof AbstractOAuth2TokenAuthenticationToken<?>)
				|| !token.isAuthenticated()) {
			invalidToken(response);
			return;
		}
		String clientId = clientIds[0];
		try {
			// Spring's check of the registration access token for this client (scope client.read, active, the
			// client's own), as for a read; it answers nothing, we only need it not to throw.
			this.tokenCheck.authenticate(new OidcClientRegistrationAuthenticationToken(token, clientId));
		}
		catch (OAuth2AuthenticationException ex) {
			// RFC 7592 §2: an unknown client or a token that is not its own is 401 as well.
			invalidToken(response);
			return;
		}
		RegisteredClient existing = this.storedClients.findByClientId(clientId);
		if (existing == null) {
			invalidToken(response);
			return;
		}
		if ("DELETE".equals(request.getMethod())) {
			this.registration.delete(clientId);
			response.setStatus(HttpStatus.NO_CONTENT.value());
			return;
		}
		update(request, response, existing);
	}

	private void update(HttpServletRequest request, HttpServletResponse response, RegisteredClient existing)
			throws IOException {
		OidcClientRegistration sent;
		try {
			sent = this.metadataConverter.read(OidcClientRegistration.class, new ServletServerHttpRequest(request));
		}
		catch (HttpMessageNotReadableException | IllegalArgumentException ex) {
			error(response, HttpStatus.BAD_REQUEST, "invalid_client_metadata", "The body is not client metadata");
			return;
		}
		// RFC 7592 §2.2: client_id must be the client's; a client_secret, if sent, must be its current one.
		if (!existing.getClientId().equals(sent.getClientId())) {
			error(response, HttpStatus.BAD_REQUEST, "invalid_client_metadata", "client_id must be this client's");
			return;
		}
		String secret = sent.getClientSecret();
		if (secret != null && !secretMatches(secret, existing.getClientSecret())) {
			error(response, HttpStatus.BAD_REQUEST, "invalid_client_metadata",
					"client_secret must be this client's secret");
			return;
		}
		OidcClientRegistration metadata = OidcClientRegistration.withClaims(sent.getClaims())
			.claims((claims) -> SERVER_METADATA.forEach(claims::remove))
			.build();
		RegisteredClient updated;
		try {
			DynamicClientRegistration.Checked checked = this.registration.check(metadata);
			if ((existing.getClientSecret() == null) != checked.registration().isPublic()) {
				error(response, HttpStatus.BAD_REQUEST, "invalid_client_metadata", "token_endpoint_auth_method "
						+ "cannot change between a public and a confidential client; register a new client");
				return;
			}
			// OIDC Core §8.1: the sub values a client's users have are fixed by its subject type and sector. A client
			// that could change them would, with the grants it holds, learn the identifiers another sector (or every
			// public client) sees for the same people.
			if (!Objects.equals(SubjectTypes.pairwiseSector(existing),
					checked.requestObjectSettings().get(SubjectTypes.SECTOR_SETTING))) {
				error(response, HttpStatus.BAD_REQUEST, "invalid_client_metadata", "subject_type and its sector "
						+ "(sector_identifier_uri, or the redirect URIs' host) cannot change; register a new client");
				return;
			}
			updated = this.registration.update(existing, checked);
		}
		catch (OAuth2AuthenticationException ex) {
			OAuth2Error error = ex.getError();
			error(response, HttpStatus.BAD_REQUEST, error.getErrorCode(), error.getDescription());
			return;
		}
		ServletServerHttpResponse out = new ServletServerHttpResponse(response);
		out.setStatusCode(HttpStatus.OK);
		out.getHeaders().setCacheControl("no-store");
		this.metadataConverter.write(this.registration.clientConfigurationConverter().convert(updated),
				MediaType.APPLICATION_JSON, out);
	}

	private boolean secretMatches(String sent, @Nullable String stored) {
		// Constant time, and a legacy hash is compared as a hash (ClientSecretEncoder).
		return this.secrets.matches(sent, stored);
	}

	private void invalidToken(HttpServletResponse response) throws IOException {
		response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
		error(response, HttpStatus.UNAUTHORIZED, OAuth2ErrorCodes.INVALID_TOKEN,
				"The registration access token is not valid for this client");
	}

	private void error(HttpServletResponse response, HttpStatus status, String code, @Nullable String description)
			throws IOException {
		ServletServerHttpResponse out = new ServletServerHttpResponse(response);
		out.setStatusCode(status);
		out.getHeaders().setCacheControl("no-store");
		this.errorConverter.write(new OAuth2Error(code, description, null), MediaType.APPLICATION_JSON, out);
	}

}
