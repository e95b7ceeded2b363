package dev.authserver.tokens;

import dev.authserver.clients.SubjectTypes;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Component;

/**
 * The {@code sub} a client sees for an account (OIDC Core 1.0 §8): the account id, or for a pairwise client its
 * {@link PairwiseSubjects pairwise subject}. Internally the principal name stays the account id; this is only what
 * goes out in tokens and UserInfo, and what a {@code sub} a client sends back is compared with.
 */
@Component
public class ClientSubjects {

	private final PairwiseSubjectKey key;

	private final RegisteredClientRepository clients;

	ClientSubjects(PairwiseSubjectKey key, RegisteredClientRepository clients) {
		this.key = key;
		this.clients = clients;
	}

	/** The subject of the account for this client. */
	public String subject(RegisteredClient client, String accountId) {
		String sector = SubjectTypes.pairwiseSector(client);
		return (sector != null) ? this.key.subjects().subject(sector, accountId) : accountId;
	}

	/** The subject of the account for the client with this id (the registration id), or the account id. */
	public String subjectForRegistration(@Nullable String registeredClientId, String accountId) {
		RegisteredClient client = (registeredClientId != null) ? this.clients.findById(registeredClientId) : null;
		return (client != null) ? subject(client, accountId) : accountId;
	}

	/** The subject of the account for the client with this client id, or the account id. */
	public String subjectForClientId(@Nullable String clientId, String accountId) {
		RegisteredClient client = (clientId != null) ? this.clients.findByClientId(clientId) : null;
		return (client != null) ? subject(client, accountId) : accountId;
	}

}
