package dev.authserver.web;

import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * The consent page: which application asks for what, what was already granted, and a way to refuse.
 */
@Controller
class ConsentController {

	private static final Map<String, String> SCOPE_DESCRIPTIONS = Map.of(OidcScopes.PROFILE,
			"Your name and username", OidcScopes.EMAIL, "Your email address and whether it is verified",
			OidcScopes.ADDRESS, "Your postal address", OidcScopes.PHONE, "Your phone number");

	private final RegisteredClientRepository clients;

	private final OAuth2AuthorizationConsentService consents;

	ConsentController(RegisteredClientRepository clients, OAuth2AuthorizationConsentService consents) {
		this.clients = clients;
		this.consents = consents;
	}

	@GetMapping("/oauth2/consent")
	String consent(Principal principal, Model model,
			@RequestParam(OAuth2ParameterNames.CLIENT_ID) String clientId,
			@RequestParam(OAuth2ParameterNames.SCOPE) String scope,
			@RequestParam(OAuth2ParameterNames.STATE) String state) {
		RegisteredClient client = (clientId.length() <= 100) ? this.clients.findByClientId(clientId) : null;
		if (client == null || !StringUtils.hasText(state)) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST);
		}
		OAuth2AuthorizationConsent current = this.consents.findById(client.getId(), principal.getName());
		Set<String> alreadyGranted = (current != null) ? current.getScopes() : Set.of();
		List<ScopeView> toApprove = new ArrayList<>();
		List<ScopeView> granted = new ArrayList<>();
		for (String requested : new LinkedHashSet<>(List.of(StringUtils.delimitedListToStringArray(scope, " ")))) {
			// OIDC Core §3.1.2.4: the openid scope itself is approved with the sign-in, it releases nothing.
			if (requested.isEmpty() || OidcScopes.OPENID.equals(requested) || !client.getScopes().contains(requested)) {
				continue;
			}
			ScopeView view = new ScopeView(requested, description(requested));
			(alreadyGranted.contains(requested) ? granted : toApprove).add(view);
		}
		model.addAttribute("clientId", client.getClientId());
		model.addAttribute("clientName", client.getClientName());
		model.addAttribute("state", state);
		model.addAttribute("scopes", toApprove);
		model.addAttribute("previouslyApprovedScopes", granted);
		return "consent";
	}

	private static String description(String scope) {
		@Nullable String description = SCOPE_DESCRIPTIONS.get(scope);
		return (description != null) ? description : "Access to \"" + scope + "\"";
	}

	/** A scope as the consent page shows it. */
	record ScopeView(String scope, String description) {
	}

}
