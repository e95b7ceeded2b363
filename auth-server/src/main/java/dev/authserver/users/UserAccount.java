package dev.authserver.users;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A local user account. Its {@code id} is the {@code sub} we issue: stable forever.
 *
 * @param emailVerified whether anyone vouches for the address: we, or the provider of a just-in-time account (the
 * {@code email_verified} claim says this)
 * @param emailVerifiedLocally whether this server itself saw the mailbox answer (a sign-up or reset link we mailed was
 * followed), or an operator created the account with a verified address. Only this is trusted to grant configured
 * roles or to let a provider identity link itself to the account: a provider's word is the provider's.
 * @param passwordHash a {@code DelegatingPasswordEncoder} hash, or {@code null} for a federated-only user
 */
@Table("user_account")
public record UserAccount(@Id UUID id, String username, @Nullable String email, boolean emailVerified,
		boolean emailVerifiedLocally, @Nullable String name, @Nullable String passwordHash, boolean enabled,
		Instant createdAt, Instant updatedAt, @Version @Nullable Long version) {

	public UserAccount withPasswordHash(String newPasswordHash, Instant now) {
		return new UserAccount(this.id, this.username, this.email, this.emailVerified, this.emailVerifiedLocally,
				this.name, newPasswordHash, this.enabled, this.createdAt, now, this.version);
	}

	public UserAccount withEnabled(boolean newEnabled, Instant now) {
		return new UserAccount(this.id, this.username, this.email, this.emailVerified, this.emailVerifiedLocally,
				this.name, this.passwordHash, newEnabled, this.createdAt, now, this.version);
	}

}
