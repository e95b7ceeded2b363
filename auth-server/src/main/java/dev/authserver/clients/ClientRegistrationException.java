package dev.authserver.clients;

import java.util.List;

/**
 * A client registration broke the server's rules ({@link ClientRegistrationValidator}).
 */
public class ClientRegistrationException extends RuntimeException {

	private final List<ClientRegistrationValidator.Violation> violations;

	public ClientRegistrationException(List<ClientRegistrationValidator.Violation> violations) {
		super("Invalid client registration: " + violations.size() + " problem(s)");
		this.violations = List.copyOf(violations);
	}

	public List<ClientRegistrationValidator.Violation> violations() {
		return this.violations;
	}

}
