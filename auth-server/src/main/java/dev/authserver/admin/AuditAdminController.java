package dev.authserver.admin;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import dev.authserver.audit.AuditEvents;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The audit log, read-only, filtered by user, client, type and time ({@code from} inclusive, {@code to}
 * exclusive, ISO-8601 instants).
 */
@RestController
@RequestMapping(path = "/api/admin/audit", produces = "application/json")
class AuditAdminController {

	static final int MAX_PAGE_SIZE = 200;

	private static final int MAX_FILTER_LENGTH = 200;

	private final AuditEvents events;

	AuditAdminController(AuditEvents events) {
		this.events = events;
	}

	@GetMapping
	PageResponse<AuditEvents.AuditEvent> find(@RequestParam(name = "user", required = false) @Nullable String user,
			@RequestParam(name = "client_id", required = false) @Nullable String clientId,
			@RequestParam(name = "type", required = false) @Nullable String type,
			@RequestParam(name = "from", required = false) @Nullable String from,
			@RequestParam(name = "to", required = false) @Nullable String to,
			@RequestParam(name = "page", defaultValue = "0") int page,
			@RequestParam(name = "size", defaultValue = "50") int size) {
		Paging.check(page, size, MAX_PAGE_SIZE);
		AuditEvents.Page found = this.events.find(filter(user, clientId, type, from, to), page, size);
		return new PageResponse<>(found.events(), found.total(), page, size);
	}

	static AuditEvents.Filter filter(@Nullable String user, @Nullable String clientId, @Nullable String type,
			@Nullable String from, @Nullable String to) {
		return new AuditEvents.Filter(text("user", user), text("client_id", clientId), text("type", type),
				instant("from", from), instant("to", to));
	}

	private static @Nullable String text(String name, @Nullable String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		if (value.length() > MAX_FILTER_LENGTH || value.chars().anyMatch(Character::isISOControl)) {
			throw new AdminApiException(HttpStatus.BAD_REQUEST,
					name + " must be at most " + MAX_FILTER_LENGTH + " characters, without control characters");
		}
		return value.strip();
	}

	private static @Nullable Instant instant(String name, @Nullable String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return Instant.parse(value.strip());
		}
		catch (DateTimeParseException ex) {
			throw new AdminApiException(HttpStatus.BAD_REQUEST,
					name + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
		}
	}

}
