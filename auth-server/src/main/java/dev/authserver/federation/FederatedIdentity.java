package dev.authserver.federation;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A provider identity (Google {@code sub}, GitHub numeric {@code id}) linked to one local account, with a snapshot of
 * what the provider last said about it. The snapshot is shown on the account page and never copied into tokens.
 */
@Table("federated_identity")
public record FederatedIdentity(@Id UUID id, String registrationId, String subject, UUID userAccountId,
		@Nullable String email, boolean emailVerified, @Nullable String login, @Nullable String displayName,
		@Nullable String avatarUrl, Instant linkedAt, Instant lastLoginAt, @Version @Nullable Long version) {

	static FederatedIdentity link(ProviderIdentity identity, UUID userAccountId, Instant now) {
		return new FederatedIdentity(UUID.randomUUID(), identity.registrationId(), identity.subject(), userAccountId,
				identity.email(), identity.emailVerified(), identity.login(), identity.displayName(),
				identity.avatarUrl(), now, now, null);
	}

	FederatedIdentity signedIn(ProviderIdentity identity, Instant now) {
		return new FederatedIdentity(this.id, this.registrationId, this.subject, this.userAccountId, identity.email(),
				identity.emailVerified(), identity.login(), identity.displayName(), identity.avatarUrl(), this.linkedAt,
				now, this.version);
	}

}
