package dev.authserver.clients;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * The subject type of a client (OIDC Core 1.0 §8): {@code public}, the account id, unless its settings say
 * {@code pairwise}, with the sector its pairwise subjects are computed for.
 */
public final class SubjectTypes {

	/** The client setting holding the subject type, absent for {@code public}. */
	public static final String SUBJECT_TYPE_SETTING = "settings.client.subject-type";

	/** The client setting holding the sector host of a pairwise client (OIDC Core 1.0 §8.1). */
	public static final String SECTOR_SETTING = "settings.client.sector-host";

	public static final String PAIRWISE = "pairwise";

	private SubjectTypes() {
	}

	/** The sector of a pairwise client, or {@code null} for a public one. */
	public static @Nullable String pairwiseSector(RegisteredClient client) {
		if (PAIRWISE.equals(client.getClientSettings().getSetting(SUBJECT_TYPE_SETTING))
				&& client.getClientSettings().getSetting(SECTOR_SETTING) instanceof String sector && !sector.isEmpty()) {
			return sector;
		}
		return null;
	}

}
