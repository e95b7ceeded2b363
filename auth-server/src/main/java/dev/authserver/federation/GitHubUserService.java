package dev.authserver.federation;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.client.userinfo.DefaultOAuth2UserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserRequest;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.user.DefaultOAuth2User;
import org.springframework.security.oauth2.core.user.OAuth2User;
import org.springframework.web.client.RestClient;

/**
 * An {@link OAuth2UserService} for GitHub: the profile from {@code GET /user}, and the email from
 * {@code GET /user/emails}, keeping only the primary entry and saying whether GitHub verified it.
 */
class GitHubUserService implements OAuth2UserService<OAuth2UserRequest, OAuth2User> {

	static final String EMAIL = "email";

	static final String EMAIL_VERIFIED = "email_verified";

	private static final String NOREPLY_DOMAIN = "@users.noreply.github.com";

	private static final ParameterizedTypeReference<List<Map<String, Object>>> EMAILS = //
			new ParameterizedTypeReference<>() {
			};

	private final DefaultOAuth2UserService users;

	private final RestClient rest;

	private final String emailsUri;

	GitHubUserService(DefaultOAuth2UserService users, RestClient rest, String emailsUri) {
		this.users = users;
		this.rest = rest;
		this.emailsUri = emailsUri;
	}

	@Override
	public OAuth2User loadUser(OAuth2UserRequest request) {
		OAuth2User user;
		try {
			user = this.users.loadUser(request);
		}
		catch (IllegalArgumentException ex) {
			// Spring refuses a /user answer without "id" with an IllegalArgumentException, which would be a 500.
			throw invalidUserInfo();
		}
		Map<String, Object> attributes = new HashMap<>(user.getAttributes());
		if (!(attributes.get("id") instanceof Number)) {
			throw invalidUserInfo();
		}
		// GitHub's /user email is the public profile email, which GitHub does not promise is verified: drop it and
		// fetch /user/emails, keeping the primary entry and GitHub's word on whether it is verified.
		attributes.remove(EMAIL);
		attributes.put(EMAIL_VERIFIED, false);
		Map<String, Object> primary = primaryEmail(request);
		if (primary != null && primary.get("email") instanceof String email) {
			attributes.put(EMAIL, email);
			// A noreply address is GitHub's, not the person's: it never matches a local account.
			boolean noreply = email.toLowerCase(Locale.ROOT).endsWith(NOREPLY_DOMAIN);
			attributes.put(EMAIL_VERIFIED, Boolean.TRUE.equals(primary.get("verified")) && !noreply);
		}
		return new DefaultOAuth2User(user.getAuthorities(), attributes, "id");
	}

	private @Nullable Map<String, Object> primaryEmail(OAuth2UserRequest request) {
		List<Map<String, Object>> emails;
		try {
			emails = this.rest.get()
				.uri(this.emailsUri)
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + request.getAccessToken().getTokenValue())
				.accept(MediaType.APPLICATION_JSON)
				.retrieve()
				.body(EMAILS);
		}
		catch (RuntimeException ex) {
			throw invalidUserInfo();
		}
		if (emails == null) {
			return null;
		}
		return emails.stream()
			.filter((entry) -> entry != null && Boolean.TRUE.equals(entry.get("primary")))
			.findFirst()
			.orElse(null);
	}

	private static OAuth2AuthenticationException invalidUserInfo() {
		OAuth2Error error = new OAuth2Error("invalid_user_info_response", "GitHub's user API gave no usable answer",
				null);
		return new OAuth2AuthenticationException(error);
	}

}
