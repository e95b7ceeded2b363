package dev.authserver.federation;

import java.util.List;
import java.util.UUID;

import dev.authserver.users.SignInMethods;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

/**
 * An account's connected Google and GitHub identities as ways to sign in, for a password reset to list and remove
 * (each removal is a {@link FederatedIdentityUnlinked}, as on the account page).
 */
@Component
class FederatedSignInMethods implements SignInMethods {

	private static final String PREFIX = "federated-identity:";

	private final FederatedIdentities identities;

	FederatedSignInMethods(FederatedIdentities identities) {
		this.identities = identities;
	}

	@Override
	public List<SignInMethod> of(UUID userAccountId) {
		return this.identities.of(userAccountId)
			.stream()
			.map((identity) -> new SignInMethod(PREFIX + identity.id(), describe(identity), identity.linkedAt(), true))
			.toList();
	}

	@Override
	public boolean remove(UUID userAccountId, String id, @Nullable String remoteAddress) {
		if (!id.startsWith(PREFIX)) {
			return false;
		}
		UUID identityId;
		try {
			identityId = UUID.fromString(id.substring(PREFIX.length()));
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		// The one way to disconnect (rule 6 included: after a reset the account has a password).
		return this.identities.unlink(userAccountId, identityId, remoteAddress);
	}

	// What the person recognises: the provider and the login or address it showed last time, never a token.
	private static String describe(FederatedIdentity identity) {
		String who = (identity.login() != null) ? identity.login()
				: (identity.email() != null) ? identity.email() : identity.displayName();
		String provider = FederationController.label(identity.registrationId()) + " account";
		return (who != null) ? provider + " " + who : provider;
	}

}
