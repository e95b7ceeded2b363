package dev.authserver.federation;

import java.util.List;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Puts the offered providers on every page's model, so the login page can show "Sign in with Google/GitHub" buttons
 * for exactly the providers that are configured.
 */
@ControllerAdvice
class FederationModelAdvice {

	private final FederatedClientRegistrations registrations;

	FederationModelAdvice(FederatedClientRegistrations registrations) {
		this.registrations = registrations;
	}

	@ModelAttribute("federationProviders")
	List<AccountController.Provider> federationProviders() {
		return this.registrations.offered()
			.stream()
			.map((registrationId) -> new AccountController.Provider(registrationId,
					FederationController.label(registrationId)))
			.toList();
	}

}
