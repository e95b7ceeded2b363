package dev.authserver.tokens;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.util.Assert;

/**
 * Pairwise subject identifiers (OIDC Core 1.0 §8.1): {@code Base64url(HMAC-SHA-256(key, sector + "|" + account id))},
 * the same for every client of one sector, unrelated across sectors, and not reversible without the key.
 * <p>
 * CAUTION: the key must stay the same across restarts, instances and master password rotations, or every pairwise
 * subject issued changes ({@link PairwiseSubjectKey}).
 */
final class PairwiseSubjects {

	private static final String ALGORITHM = "HmacSHA256";

	private final SecretKeySpec key;

	/** @param key at least 32 random bytes */
	PairwiseSubjects(byte[] key) {
		Assert.isTrue(key.length >= 32, "the pairwise subject key needs at least 32 bytes");
		this.key = new SecretKeySpec(key.clone(), ALGORITHM);
	}

	/**
	 * The subject an account has in a sector.
	 * @param sector the sector host, lower case
	 * @param accountId the account id (the principal name)
	 */
	String subject(String sector, String accountId) {
		Assert.hasText(sector, "sector cannot be empty");
		Assert.hasText(accountId, "accountId cannot be empty");
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(this.key);
			// The separator cannot occur in a host name, so no two (sector, account) pairs share an input.
			byte[] digest = mac.doFinal((sector + "|" + accountId).getBytes(StandardCharsets.UTF_8));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC-SHA-256 is not available", ex);
		}
	}

}
