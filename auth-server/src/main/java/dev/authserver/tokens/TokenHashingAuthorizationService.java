package dev.authserver.tokens;

import java.util.List;
import java.util.Map;

import dev.authserver.crypto.Digests;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2DeviceCode;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.OAuth2UserCode;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.util.Assert;

/**
 * An {@link OAuth2AuthorizationService} that stores only SHA-256 digests of token values (authorization codes,
 * access, refresh and ID tokens, and the consent {@code state}), so a copy of the database holds no usable
 * credential.
 * <p>
 * Tokens are only ever looked up by their value, so the digest is enough: {@link #findByToken} looks up the digest
 * of the presented value and puts that clear value back into the authorization it returns, where Spring compares
 * it. The other tokens of that authorization stay digests, which {@link #save} recognizes by their prefix and keeps.
 * An unsalted hash is safe here because every token is a long random value or a signed JWT: there is nothing to
 * guess.
 */
final class TokenHashingAuthorizationService implements OAuth2AuthorizationService {

	static final String PREFIX = "sha256:";

	private static final List<Class<? extends OAuth2Token>> TOKEN_TYPES = List.of(OAuth2AuthorizationCode.class,
			OAuth2AccessToken.class, OAuth2RefreshToken.class, OidcIdToken.class, OAuth2UserCode.class,
			OAuth2DeviceCode.class);

	private final OAuth2AuthorizationService delegate;

	TokenHashingAuthorizationService(OAuth2AuthorizationService delegate) {
		Assert.notNull(delegate, "delegate cannot be null");
		this.delegate = delegate;
	}

	@Override
	public void save(OAuth2Authorization authorization) {
		this.delegate.save(hashed(authorization));
	}

	@Override
	public void remove(OAuth2Authorization authorization) {
		this.delegate.remove(authorization);
	}

	@Override
	public @Nullable OAuth2Authorization findById(String id) {
		return this.delegate.findById(id);
	}

	@Override
	public @Nullable OAuth2Authorization findByToken(String token, @Nullable OAuth2TokenType tokenType) {
		OAuth2Authorization stored = this.delegate.findByToken(digest(token), tokenType);
		if (stored != null) {
			return withClearValue(stored, token);
		}
		// Tokens issued before digests were stored are still in clear: they keep working until they expire (the
		// purge removes them), and the next save of their authorization stores digests. Only unknown values pay
		// this second query.
		return isDigest(token) ? null : this.delegate.findByToken(token, tokenType);
	}

	private static OAuth2Authorization hashed(OAuth2Authorization authorization) {
		OAuth2Authorization.Builder builder = OAuth2Authorization.from(authorization);
		for (Class<? extends OAuth2Token> type : TOKEN_TYPES) {
			OAuth2Authorization.Token<? extends OAuth2Token> token = authorization.getToken(type);
			if (token != null && !isDigest(token.getToken().getTokenValue())) {
				replace(builder, token, digest(token.getToken().getTokenValue()));
			}
		}
		String state = authorization.getAttribute(OAuth2ParameterNames.STATE);
		if (state != null && !isDigest(state)) {
			builder.attribute(OAuth2ParameterNames.STATE, digest(state));
		}
		return builder.build();
	}

	private static OAuth2Authorization withClearValue(OAuth2Authorization stored, String clearValue) {
		String digest = digest(clearValue);
		OAuth2Authorization.Builder builder = OAuth2Authorization.from(stored);
		for (Class<? extends OAuth2Token> type : TOKEN_TYPES) {
			OAuth2Authorization.Token<? extends OAuth2Token> token = stored.getToken(type);
			if (token != null && token.getToken().getTokenValue().equals(digest)) {
				replace(builder, token, clearValue);
			}
		}
		if (digest.equals(stored.getAttribute(OAuth2ParameterNames.STATE))) {
			builder.attribute(OAuth2ParameterNames.STATE, clearValue);
		}
		return builder.build();
	}

	private static void replace(OAuth2Authorization.Builder builder, OAuth2Authorization.Token<? extends OAuth2Token> token,
			String value) {
		Map<String, Object> metadata = token.getMetadata();
		builder.token(withValue(token.getToken(), value), (copy) -> {
			copy.clear();
			copy.putAll(metadata);
		});
	}

	private static OAuth2Token withValue(OAuth2Token token, String value) {
		if (token instanceof OAuth2AccessToken accessToken) {
			return new OAuth2AccessToken(accessToken.getTokenType(), value, accessToken.getIssuedAt(),
					accessToken.getExpiresAt(), accessToken.getScopes());
		}
		if (token instanceof OAuth2RefreshToken refreshToken) {
			return new OAuth2RefreshToken(value, refreshToken.getIssuedAt(), refreshToken.getExpiresAt());
		}
		if (token instanceof OidcIdToken idToken) {
			return new OidcIdToken(value, idToken.getIssuedAt(), idToken.getExpiresAt(), idToken.getClaims());
		}
		if (token instanceof OAuth2AuthorizationCode code) {
			return new OAuth2AuthorizationCode(value, code.getIssuedAt(), code.getExpiresAt());
		}
		if (token instanceof OAuth2UserCode userCode) {
			return new OAuth2UserCode(value, userCode.getIssuedAt(), userCode.getExpiresAt());
		}
		if (token instanceof OAuth2DeviceCode deviceCode) {
			return new OAuth2DeviceCode(value, deviceCode.getIssuedAt(), deviceCode.getExpiresAt());
		}
		throw new IllegalStateException("Unknown token type " + token.getClass().getName());
	}

	private static boolean isDigest(String value) {
		return value.startsWith(PREFIX);
	}

	static String digest(String value) {
		return PREFIX + Digests.sha256Base64Url(value);
	}

}
