package dev.authserver.mfa;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.authserver.users.SignInMethods;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * An account's passkeys and authenticator app as ways to sign in, for a password reset to list, and for passkeys to
 * remove (each removal is a {@link PasskeyRemoved}, through the audited credential repository).
 * <p>
 * CAUTION: the authenticator app is listed but a reset cannot remove it. It is a second factor: if a reset link
 * (which only proves the mailbox) could remove it, whoever reads the mailbox would get past the second factor its
 * owner set up. Removing it takes a signed-in session that passed it, or an admin.
 */
@Component
class SecondFactorSignInMethods implements SignInMethods {

	private static final String PASSKEY = "passkey:";

	private final Passkeys passkeys;

	private final JdbcTemplate jdbc;

	SecondFactorSignInMethods(Passkeys passkeys, JdbcTemplate jdbc) {
		this.passkeys = passkeys;
		this.jdbc = jdbc;
	}

	@Override
	public List<SignInMethod> of(UUID userAccountId) {
		List<SignInMethod> methods = new ArrayList<>();
		for (Passkeys.Passkey passkey : this.passkeys.list(userAccountId)) {
			methods.add(new SignInMethod(PASSKEY + passkey.credentialId(),
					"Passkey \u201c" + passkey.label() + "\u201d", passkey.created(), true));
		}
		List<Timestamp> enrolled = this.jdbc.queryForList(
				"SELECT created_at FROM mfa_totp WHERE user_account_id = ? AND confirmed = TRUE", Timestamp.class,
				userAccountId);
		if (!enrolled.isEmpty()) {
			methods.add(new SignInMethod("totp", "Authenticator app (one-time codes)",
					(enrolled.get(0) != null) ? enrolled.get(0).toInstant() : null, false));
		}
		return methods;
	}

	@Override
	public boolean remove(UUID userAccountId, String id, @Nullable String remoteAddress) {
		return id.startsWith(PASSKEY) && this.passkeys.remove(userAccountId, id.substring(PASSKEY.length()));
	}

}
