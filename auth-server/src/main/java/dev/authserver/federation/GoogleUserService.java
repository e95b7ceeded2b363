package dev.authserver.federation;

import java.util.List;
import java.util.Locale;

import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * An {@link OAuth2UserService} for Google: the person is the validated ID token (no UserInfo call), and when an
 * allow-list of Google Workspace domains is configured, the token's {@code hd} claim must be on it.
 */
class GoogleUserService implements OAuth2UserService<OidcUserRequest, OidcUser> {

	static final String HOSTED_DOMAIN_NOT_ALLOWED = "hosted_domain_not_allowed";

	private final OidcUserService users = new OidcUserService();

	private final List<String> hostedDomains;

	GoogleUserService(List<String> hostedDomains) {
		this.hostedDomains = hostedDomains.stream().map((domain) -> domain.trim().toLowerCase(Locale.ROOT)).toList();
	}

	@Override
	public OidcUser loadUser(OidcUserRequest request) {
		OidcUser user = this.users.loadUser(request);
		if (!this.hostedDomains.isEmpty()) {
			// hd is in the signed ID token; an email domain is not proof of Workspace membership.
			Object hd = user.getIdToken().getClaim("hd");
			if (!(hd instanceof String domain) || !this.hostedDomains.contains(domain.toLowerCase(Locale.ROOT))) {
				throw new OAuth2AuthenticationException(new OAuth2Error(HOSTED_DOMAIN_NOT_ALLOWED,
						"This Google account is not in an allowed Google Workspace domain", null));
			}
		}
		return user;
	}

}
