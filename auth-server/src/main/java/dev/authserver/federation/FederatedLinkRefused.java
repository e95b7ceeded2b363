package dev.authserver.federation;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A link between a provider identity and a local account was refused, or was put off until the person proves they own
 * the account.
 *
 * @param userAccountId the account the link was about, if any
 * @param reason a short code: {@code proof_required}, {@code linked_to_another_account},
 * {@code other_account_signed_in}, {@code last_sign_in_method}, {@code sign_up_disabled}, {@code account_disabled}
 */
public record FederatedLinkRefused(@Nullable UUID userAccountId, String registrationId, String subject, String reason,
		@Nullable String remoteAddress, Instant refusedAt) {
}
