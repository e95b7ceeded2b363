package dev.authserver.tokens;

import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;

/**
 * The JWT profile for access tokens (RFC 9068) that tells our access tokens apart from our ID tokens, which are
 * signed with the same keys.
 */
public final class JwtAccessTokenProfile {

	/** RFC 9068 §2.1: the {@code typ} header of a JWT access token; ID tokens keep {@code JWT}. */
	public static final String TYPE = "at+jwt";

	private JwtAccessTokenProfile() {
	}

	/**
	 * Marks a JWT access token: {@code typ: at+jwt}, so that no one takes an ID token for one (RFC 8725 §3.11), and
	 * {@code client_id} (RFC 9068 §2.2). Leaves every other token alone.
	 */
	static void apply(JwtEncodingContext context) {
		if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
			return;
		}
		context.getJwsHeader().type(TYPE);
		context.getClaims().claim("client_id", context.getRegisteredClient().getClientId());
	}

}
