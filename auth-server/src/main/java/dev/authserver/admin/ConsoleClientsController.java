package dev.authserver.admin;

import java.time.Duration;
import java.util.List;

import dev.authserver.clients.ClientRegistrationException;
import dev.authserver.clients.ClientRegistrationValidator;
import dev.authserver.clients.ClientRegistrations;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * The console's client pages: list and search, create, edit, rotate the secret (shown once), disable, enable,
 * delete. The same service and validation as the admin API.
 */
@Controller
@RequestMapping("/admin")
class ConsoleClientsController {

	/** The grace periods the console offers when rotating a secret, in seconds. */
	static final List<Long> GRACE_PERIODS = List.of(0L, 3600L, 86400L, 604800L);

	private static final int PAGE_SIZE = 20;

	private final ClientRegistrations registrations;

	private final RegistrationTokenAdminController.RegistrationTokens registrationTokens;

	ConsoleClientsController(ClientRegistrations registrations,
			RegistrationTokenAdminController.RegistrationTokens registrationTokens) {
		this.registrations = registrations;
		this.registrationTokens = registrationTokens;
	}

	@GetMapping
	String home() {
		return "redirect:/admin/clients";
	}

	@GetMapping("/clients")
	String list(@RequestParam(name = "q", required = false) @Nullable String query,
			@RequestParam(name = "page", defaultValue = "0") int page, Model model) {
		String q = (query != null && query.length() <= 100) ? query : null;
		int p = Math.max(0, Math.min(page, 100_000));
		ClientRegistrations.Page found = this.registrations.list(q, p, PAGE_SIZE);
		model.addAttribute("clients", found.clients().stream().map(this::view).toList());
		model.addAttribute("q", (q != null) ? q : "");
		model.addAttribute("page", p);
		model.addAttribute("total", found.total());
		model.addAttribute("hasNext", (long) (p + 1) * PAGE_SIZE < found.total());
		model.addAttribute("dynamicRegistration", this.registrationTokens.enabled());
		return "admin/clients";
	}

	/** An initial access token for dynamic client registration, shown once. */
	@PostMapping("/registration-token")
	String registrationToken(Authentication authentication, HttpServletRequest request,
			HttpServletResponse response, Model model) {
		if (!this.registrationTokens.enabled()) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND);
		}
		response.setHeader("Cache-Control", "no-store");
		model.addAttribute("token", this.registrationTokens.issue(authentication.getName(), request.getRemoteAddr()));
		return "admin/registration-token";
	}

	@GetMapping("/clients/new")
	String createForm(Model model) {
		return form(model, ClientForm.empty(), null, List.of());
	}

	@PostMapping("/clients")
	String create(@ModelAttribute ClientForm form, Authentication authentication, HttpServletRequest request,
			HttpServletResponse response, Model model) {
		try {
			ClientRegistrations.Issued issued = this.registrations.create(form.toRegistration(),
					authentication.getName(), request.getRemoteAddr());
			return secretPage(issued, response, model, true);
		}
		catch (ClientRegistrationException ex) {
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			return form(model, form, null, ex.violations());
		}
	}

	@GetMapping("/clients/{clientId}")
	String edit(@PathVariable String clientId, Model model) {
		RegisteredClient client = existing(clientId);
		return form(model, ClientForm.of(client), client, List.of());
	}

	@PostMapping("/clients/{clientId}")
	String update(@PathVariable String clientId, @ModelAttribute ClientForm form, Authentication authentication,
			HttpServletRequest request, HttpServletResponse response, Model model) {
		RegisteredClient client = existing(clientId);
		try {
			this.registrations.update(clientId, form.toRegistration(), authentication.getName(),
					request.getRemoteAddr());
			return "redirect:/admin/clients/" + clientId + "?saved";
		}
		catch (ClientRegistrationException ex) {
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			return form(model, form, client, ex.violations());
		}
	}

	@PostMapping("/clients/{clientId}/secret")
	String rotateSecret(@PathVariable String clientId,
			@RequestParam(name = "gracePeriodSeconds", defaultValue = "0") long gracePeriodSeconds,
			Authentication authentication, HttpServletRequest request, HttpServletResponse response, Model model) {
		if (!GRACE_PERIODS.contains(gracePeriodSeconds)) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST);
		}
		ClientRegistrations.Issued issued = this.registrations
			.rotateSecret(clientId, Duration.ofSeconds(gracePeriodSeconds), authentication.getName(),
					request.getRemoteAddr())
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
		return secretPage(issued, response, model, false);
	}

	@PostMapping("/clients/{clientId}/disable")
	String disable(@PathVariable String clientId, Authentication authentication, HttpServletRequest request) {
		existing(clientId);
		this.registrations.disable(clientId, authentication.getName(), request.getRemoteAddr());
		return "redirect:/admin/clients/" + clientId + "?disabled";
	}

	@PostMapping("/clients/{clientId}/enable")
	String enable(@PathVariable String clientId, Authentication authentication, HttpServletRequest request) {
		existing(clientId);
		this.registrations.enable(clientId, authentication.getName(), request.getRemoteAddr());
		return "redirect:/admin/clients/" + clientId + "?enabled";
	}

	@PostMapping("/clients/{clientId}/delete")
	String delete(@PathVariable String clientId, Authentication authentication, HttpServletRequest request) {
		if (!this.registrations.delete(clientId, authentication.getName(), request.getRemoteAddr())) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND);
		}
		return "redirect:/admin/clients?deleted";
	}

	private String secretPage(ClientRegistrations.Issued issued, HttpServletResponse response, Model model,
			boolean created) {
		// The one time the secret is shown: never cached, never in a URL, never rendered again.
		response.setHeader("Cache-Control", "no-store");
		model.addAttribute("client", view(issued.client()));
		model.addAttribute("clientSecret", issued.clientSecret());
		model.addAttribute("previousValidUntil", issued.previousValidUntil());
		model.addAttribute("created", created);
		return "admin/client-secret";
	}

	private String form(Model model, ClientForm form, @Nullable RegisteredClient client,
			List<ClientRegistrationValidator.Violation> violations) {
		model.addAttribute("form", form);
		model.addAttribute("client", (client != null) ? view(client) : null);
		model.addAttribute("violations", violations);
		model.addAttribute("grantTypes", List.of("authorization_code", "refresh_token", "client_credentials"));
		model.addAttribute("authMethods", List.of("client_secret_basic", "client_secret_post", "client_secret_jwt",
				"private_key_jwt", "none"));
		model.addAttribute("knownScopes", ClientRegistrationValidator.KNOWN_SCOPES.stream().sorted().toList());
		model.addAttribute("gracePeriods", GRACE_PERIODS);
		model.addAttribute("pkceOptional", !this.registrations.pkceRequiredForAll());
		return "admin/client-form";
	}

	private RegisteredClient existing(String clientId) {
		return this.registrations.find(clientId).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
	}

	private ClientResponse view(RegisteredClient client) {
		return ClientResponse.of(client, this.registrations.isDisabled(client),
				this.registrations.previousSecretValidUntil(client));
	}

}
