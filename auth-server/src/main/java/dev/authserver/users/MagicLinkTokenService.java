package dev.authserver.users;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.ott.DefaultOneTimeToken;
import org.springframework.security.authentication.ott.GenerateOneTimeTokenRequest;
import org.springframework.security.authentication.ott.OneTimeToken;
import org.springframework.security.authentication.ott.OneTimeTokenAuthenticationToken;
import org.springframework.security.authentication.ott.OneTimeTokenService;

/**
 * The {@link OneTimeTokenService} of magic links, on our {@code account_token} table: only a SHA-256 digest of the
 * token is stored (Spring's {@code JdbcOneTimeTokenService} stores the token itself), and a token is used once.
 * <p>
 * {@link #generate} only draws the token: {@link MagicLinkMailer} stores it, and only when the login names an
 * account, so a request for an unknown login writes nothing and answers the same.
 */
class MagicLinkTokenService implements OneTimeTokenService {

	private final AccountTokens tokens;

	private final Duration validity;

	private final Clock clock;

	MagicLinkTokenService(AccountTokens tokens, Duration validity, Clock clock) {
		this.tokens = tokens;
		this.validity = validity;
		this.clock = clock;
	}

	@Override
	public OneTimeToken generate(GenerateOneTimeTokenRequest request) {
		return new DefaultOneTimeToken(this.tokens.newToken(), request.getUsername(),
				this.clock.instant().plus(this.validity));
	}

	@Override
	public @Nullable OneTimeToken consume(OneTimeTokenAuthenticationToken authenticationToken) {
		String token = authenticationToken.getTokenValue();
		UUID userAccountId = this.tokens.useMagicLink(token).orElse(null);
		if (userAccountId == null) {
			return null;
		}
		return new DefaultOneTimeToken(token, userAccountId.toString(), this.clock.instant());
	}

}
