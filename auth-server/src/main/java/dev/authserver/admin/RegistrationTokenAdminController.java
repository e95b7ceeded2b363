package dev.authserver.admin;

import java.time.Clock;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.authserver.audit.AdminActionTaken;
import dev.authserver.clients.DynamicClientRegistration;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Issues initial access tokens for OpenID Connect Dynamic Client Registration, when it is enabled: each is shown
 * once, works once, and expires after {@code authserver.admin.dynamic-registration.initial-access-token-lifetime}.
 */
@RestController
@RequestMapping(path = "/api/admin/registration-tokens", produces = "application/json")
class RegistrationTokenAdminController {

	private final RegistrationTokens tokens;

	RegistrationTokenAdminController(RegistrationTokens tokens) {
		this.tokens = tokens;
	}

	record Issued(@JsonProperty("initial_access_token") String initialAccessToken,
			@JsonProperty("expires_at") Instant expiresAt) {
	}

	@PostMapping
	ResponseEntity<Issued> issue(Authentication authentication, HttpServletRequest request) {
		DynamicClientRegistration.InitialAccessToken token = this.tokens.issue(Actors.of(authentication),
				request.getRemoteAddr());
		return ResponseEntity.status(HttpStatus.CREATED)
			.header("Cache-Control", "no-store")
			.body(new Issued(token.value(), token.expiresAt()));
	}

	/** Issuing, shared by the API and the console: refused while dynamic registration is off, and audited. */
	@org.springframework.stereotype.Component
	static class RegistrationTokens {

		private final DynamicClientRegistration registration;

		private final AdminProperties properties;

		private final ApplicationEventPublisher events;

		private final Clock clock;

		RegistrationTokens(DynamicClientRegistration registration, AdminProperties properties,
				ApplicationEventPublisher events, Clock clock) {
			this.registration = registration;
			this.properties = properties;
			this.events = events;
			this.clock = clock;
		}

		boolean enabled() {
			return this.properties.dynamicRegistration().enabled();
		}

		DynamicClientRegistration.InitialAccessToken issue(String actor, String remoteAddress) {
			if (!enabled()) {
				throw new AdminApiException(HttpStatus.NOT_FOUND,
						"Dynamic client registration is off (authserver.admin.dynamic-registration.enabled)");
			}
			DynamicClientRegistration.InitialAccessToken token = this.registration.issueInitialAccessToken(actor,
					this.properties.dynamicRegistration().initialAccessTokenLifetime());
			this.events.publishEvent(new AdminActionTaken("client.registration_token_issued", actor, null, null,
					remoteAddress, "initial access token valid until " + token.expiresAt(), this.clock.instant()));
			return token;
		}

	}

}
