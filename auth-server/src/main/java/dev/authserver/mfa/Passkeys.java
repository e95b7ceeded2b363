package dev.authserver.mfa;

import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.security.web.webauthn.api.Bytes;
import org.springframework.security.web.webauthn.api.CredentialRecord;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialUserEntity;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialUserEntityRepository;
import org.springframework.security.web.webauthn.management.UserCredentialRepository;
import org.springframework.stereotype.Service;

/**
 * A user account's passkeys, as its security page lists and removes them. The WebAuthn user entity of an account is
 * named by the account id.
 */
@Service
public class Passkeys {

	private final PublicKeyCredentialUserEntityRepository users;

	private final UserCredentialRepository credentials;

	Passkeys(PublicKeyCredentialUserEntityRepository users, UserCredentialRepository credentials) {
		this.users = users;
		this.credentials = credentials;
	}

	public List<Passkey> list(UUID userAccountId) {
		PublicKeyCredentialUserEntity user = this.users.findByUsername(userAccountId.toString());
		if (user == null) {
			return List.of();
		}
		return this.credentials.findByUserId(user.getId())
			.stream()
			.map((credential) -> new Passkey(credential.getCredentialId().toBase64UrlString(), credential.getLabel(),
					credential.getCreated(), credential.getLastUsed()))
			.sorted(Comparator.comparing(Passkey::label))
			.toList();
	}

	public boolean hasAny(UUID userAccountId) {
		return !list(userAccountId).isEmpty();
	}

	/**
	 * Removes one of the account's passkeys; a passkey of another account is left alone.
	 * @return whether the account had it
	 */
	public boolean remove(UUID userAccountId, String credentialId) {
		PublicKeyCredentialUserEntity user = this.users.findByUsername(userAccountId.toString());
		Bytes id = parse(credentialId);
		if (user == null || id == null) {
			return false;
		}
		CredentialRecord credential = this.credentials.findByCredentialId(id);
		if (credential == null || !credential.getUserEntityUserId().equals(user.getId())) {
			return false;
		}
		this.credentials.delete(id);
		return true;
	}

	/** The account whose passkey this credential is, if the server knows it. */
	Optional<UUID> accountOfCredential(Bytes credentialId) {
		CredentialRecord credential = this.credentials.findByCredentialId(credentialId);
		if (credential == null) {
			return Optional.empty();
		}
		PublicKeyCredentialUserEntity user = this.users.findById(credential.getUserEntityUserId());
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

	private static @Nullable Bytes parse(String credentialId) {
		if (credentialId.isEmpty() || credentialId.length() > 1400) {
			return null;
		}
		try {
			return new Bytes(Base64.getUrlDecoder().decode(credentialId));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/** A passkey as its owner sees it. */
	public record Passkey(String credentialId, String label, @Nullable Instant created, @Nullable Instant lastUsed) {
	}

}
