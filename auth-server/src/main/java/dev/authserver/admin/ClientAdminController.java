package dev.authserver.admin;

import java.time.Duration;
import java.util.List;

import dev.authserver.clients.ClientRegistration;
import dev.authserver.clients.ClientRegistrations;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The client registration API: create, list (paged, searchable), read, update, disable, enable, delete and rotate
 * the secret of OAuth clients. A secret appears only in the answer to a creation or a rotation.
 */
@RestController
@RequestMapping(path = "/api/admin/clients", produces = "application/json")
class ClientAdminController {

	static final int MAX_PAGE_SIZE = 100;

	private final ClientRegistrations registrations;

	private final ClientRegistrationReader reader;

	ClientAdminController(ClientRegistrations registrations, ClientRegistrationReader reader) {
		this.registrations = registrations;
		this.reader = reader;
	}

	@PostMapping(consumes = "application/json")
	ResponseEntity<ClientSecretResponse> create(@RequestBody JsonNode body, Authentication authentication,
			HttpServletRequest request) {
		ClientRegistrations.Issued issued = this.registrations.create(this.reader.read(body), Actors.of(authentication),
				request.getRemoteAddr());
		return ResponseEntity.status(HttpStatus.CREATED)
			.header("Cache-Control", "no-store")
			.body(new ClientSecretResponse(view(issued.client()), issued.clientSecret(), null));
	}

	@GetMapping
	PageResponse<ClientResponse> list(@RequestParam(name = "q", required = false) @Nullable String query,
			@RequestParam(name = "page", defaultValue = "0") int page,
			@RequestParam(name = "size", defaultValue = "20") int size) {
		Paging.check(page, size, MAX_PAGE_SIZE);
		if (query != null && query.length() > 100) {
			throw new AdminApiException(HttpStatus.BAD_REQUEST, "q must be at most 100 characters");
		}
		ClientRegistrations.Page found = this.registrations.list(query, page, size);
		List<ClientResponse> items = found.clients().stream().map(this::view).toList();
		return new PageResponse<>(items, found.total(), page, size);
	}

	@GetMapping("/{clientId}")
	ClientResponse read(@PathVariable String clientId) {
		return view(existing(clientId));
	}

	@PutMapping(path = "/{clientId}", consumes = "application/json")
	ClientResponse update(@PathVariable String clientId, @RequestBody JsonNode body, Authentication authentication,
			HttpServletRequest request) {
		existing(clientId);
		ClientRegistration registration = this.reader.read(body);
		return view(this.registrations
			.update(clientId, registration, Actors.of(authentication), request.getRemoteAddr())
			.orElseThrow(ClientAdminController::notFound));
	}

	@PostMapping("/{clientId}/disable")
	ClientResponse disable(@PathVariable String clientId, Authentication authentication,
			HttpServletRequest request) {
		existing(clientId);
		this.registrations.disable(clientId, Actors.of(authentication), request.getRemoteAddr());
		return view(existing(clientId));
	}

	@PostMapping("/{clientId}/enable")
	ClientResponse enable(@PathVariable String clientId, Authentication authentication, HttpServletRequest request) {
		existing(clientId);
		this.registrations.enable(clientId, Actors.of(authentication), request.getRemoteAddr());
		return view(existing(clientId));
	}

	@DeleteMapping("/{clientId}")
	ResponseEntity<Void> delete(@PathVariable String clientId, Authentication authentication,
			HttpServletRequest request) {
		if (!this.registrations.delete(clientId, Actors.of(authentication), request.getRemoteAddr())) {
			throw notFound();
		}
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/{clientId}/secret")
	ResponseEntity<ClientSecretResponse> rotateSecret(@PathVariable String clientId,
			@RequestBody(required = false) @Nullable JsonNode body, Authentication authentication,
			HttpServletRequest request) {
		long seconds = gracePeriodSeconds(body);
		if (seconds < 0 || seconds > ClientRegistrations.MAX_GRACE_PERIOD.toSeconds()) {
			throw new AdminApiException(HttpStatus.BAD_REQUEST, "grace_period_seconds must be between 0 and "
					+ ClientRegistrations.MAX_GRACE_PERIOD.toSeconds());
		}
		ClientRegistrations.Issued issued = this.registrations
			.rotateSecret(clientId, Duration.ofSeconds(seconds), Actors.of(authentication), request.getRemoteAddr())
			.orElseThrow(() -> new AdminApiException(HttpStatus.NOT_FOUND, "No confidential client with that id"));
		return ResponseEntity.ok()
			.header("Cache-Control", "no-store")
			.body(new ClientSecretResponse(view(issued.client()), issued.clientSecret(), issued.previousValidUntil()));
	}

	// Only grace_period_seconds, a whole number: a misspelt field must not silently mean "no grace period".
	private static long gracePeriodSeconds(@Nullable JsonNode body) {
		if (body == null || body.isNull() || body.isMissingNode()) {
			return 0;
		}
		if (!body.isObject()) {
			throw new AdminApiException(HttpStatus.BAD_REQUEST, "The body must be a JSON object");
		}
		for (String name : body.propertyNames()) {
			if (!"grace_period_seconds".equals(name)) {
				throw new AdminApiException(HttpStatus.BAD_REQUEST,
						"Only grace_period_seconds can be set when rotating a secret");
			}
		}
		JsonNode grace = body.get("grace_period_seconds");
		if (grace == null || grace.isNull()) {
			return 0;
		}
		if (!grace.isIntegralNumber() || !grace.canConvertToLong()) {
			throw new AdminApiException(HttpStatus.BAD_REQUEST, "grace_period_seconds must be a whole number");
		}
		return grace.longValue();
	}

	private RegisteredClient existing(String clientId) {
		return this.registrations.find(clientId).orElseThrow(ClientAdminController::notFound);
	}

	private ClientResponse view(RegisteredClient client) {
		return ClientResponse.of(client, this.registrations.isDisabled(client),
				this.registrations.previousSecretValidUntil(client));
	}

	private static AdminApiException notFound() {
		return new AdminApiException(HttpStatus.NOT_FOUND, "No client with that id");
	}

}
