package dev.authserver.demo.web;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * Asks the authorization server's userinfo endpoint (OIDC Core 1.0 §5.3) about the signed-in user, with the access
 * token held for this session.
 */
@Component
class UserInfoClient {

	private static final Logger logger = LoggerFactory.getLogger(UserInfoClient.class);

	private static final ParameterizedTypeReference<Map<String, @Nullable Object>> CLAIMS =
			new ParameterizedTypeReference<>() {
			};

	private final RestClient restClient;

	// Boot's builder carries the spring.http.clients timeouts, so a hung server cannot hang the profile page
	UserInfoClient(RestClient.Builder restClientBuilder) {
		this.restClient = restClientBuilder.build();
	}

	UserInfoResponse fetch(OAuth2AuthorizedClient authorizedClient) {
		String userInfoUri = authorizedClient.getClientRegistration()
			.getProviderDetails()
			.getUserInfoEndpoint()
			.getUri();
		String accessToken = authorizedClient.getAccessToken().getTokenValue();
		try {
			Map<String, @Nullable Object> claims = this.restClient.get()
				.uri(userInfoUri)
				.headers((headers) -> headers.setBearerAuth(accessToken))
				.accept(MediaType.APPLICATION_JSON)
				.retrieve()
				.body(CLAIMS);
			if (claims == null) {
				return UserInfoResponse.failed("The userinfo endpoint answered with an empty body.");
			}
			return UserInfoResponse.of(claims);
		}
		catch (RestClientResponseException ex) {
			// Never log the request: its Authorization header is the access token
			logger.warn("userinfo endpoint {} answered HTTP {}", userInfoUri, ex.getStatusCode().value());
			return UserInfoResponse.failed(describe(ex));
		}
		catch (ResourceAccessException ex) {
			logger.warn("userinfo endpoint {} could not be reached", userInfoUri);
			return UserInfoResponse.failed("The userinfo endpoint at " + userInfoUri
					+ " could not be reached. Is the authorization server running?");
		}
		catch (RestClientException ex) {
			logger.warn("userinfo endpoint {} answered with an unreadable body", userInfoUri);
			return UserInfoResponse.failed("The userinfo endpoint's answer could not be read as a JSON object.");
		}
	}

	private static String describe(RestClientResponseException ex) {
		StringBuilder message = new StringBuilder("The userinfo endpoint answered HTTP ")
			.append(ex.getStatusCode().value());
		String statusText = ex.getStatusText();
		if (!statusText.isBlank()) {
			message.append(' ').append(statusText);
		}
		// RFC 6750 §3: a refused bearer token is explained in WWW-Authenticate, not in the body
		HttpHeaders headers = ex.getResponseHeaders();
		String challenge = (headers != null) ? headers.getFirst(HttpHeaders.WWW_AUTHENTICATE) : null;
		if (challenge != null && !challenge.isBlank()) {
			message.append(" (").append(challenge).append(')');
		}
		return message.append('.').toString();
	}

}
