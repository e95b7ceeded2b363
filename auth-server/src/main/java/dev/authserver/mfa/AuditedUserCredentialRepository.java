package dev.authserver.mfa;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.security.web.webauthn.api.CredentialRecord;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialUserEntityRepository;
import org.springframework.security.web.webauthn.management.UserCredentialRepository;

/**
 * A {@link UserCredentialRepository} that publishes {@link PasskeyRegistered} and {@link PasskeyRemoved}: Spring's
 * WebAuthn filters register and delete credentials, and the audit log hears of it here.
 */
class AuditedUserCredentialRepository implements UserCredentialRepository {

	private final UserCredentialRepository delegate;

	private final PublicKeyCredentialUserEntityRepository users;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	AuditedUserCredentialRepository(UserCredentialRepository delegate, PublicKeyCredentialUserEntityRepository users,
			ApplicationEventPublisher events, Clock clock) {
		this.delegate = delegate;
		this.users = users;
		this.events = events;
		this.clock = clock;
	}

	@Override
	public void delete(Bytes credentialId) {
		CredentialRecord existing = this.delegate.findByCredentialId(credentialId);
		this.delegate.delete(credentialId);
		if (existing != null) {
			accountOf(existing.getUserEntityUserId())
				.ifPresent((account) -> this.events.publishEvent(new PasskeyRemoved(account, this.clock.instant())));
		}
	}

	@Override
	public void save(CredentialRecord credentialRecord) {
		// Also called at every sign-in, to update the signature counter and the last use.
		boolean isNew = this.delegate.findByCredentialId(credentialRecord.getCredentialId()) == null;
		this.delegate.save(credentialRecord);
		if (isNew) {
			accountOf(credentialRecord.getUserEntityUserId()).ifPresent((account) -> this.events.publishEvent(
					new PasskeyRegistered(account, credentialRecord.getLabel(), this.clock.instant())));
		}
	}

	@Override
	public @Nullable CredentialRecord findByCredentialId(Bytes credentialId) {
		return this.delegate.findByCredentialId(credentialId);
	}

	@Override
	public List<CredentialRecord> findByUserId(Bytes userId) {
		return this.delegate.findByUserId(userId);
	}

	private Optional<UUID> accountOf(Bytes userEntityId) {
		PublicKeyCredentialUserEntity user = this.users.findById(userEntityId);
		if (user == null) {
			return Optional.empty();
		}
		try {
			return Optional.of(UUID.fromString(user.getName()));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

}
