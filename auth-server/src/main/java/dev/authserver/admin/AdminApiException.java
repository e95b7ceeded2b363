package dev.authserver.admin;

import org.springframework.http.HttpStatus;

/**
 * A refusal of the admin API, answered as a {@code ProblemDetail} with its status and a readable detail.
 */
class AdminApiException extends RuntimeException {

	private final HttpStatus status;

	AdminApiException(HttpStatus status, String detail) {
		super(detail);
		this.status = status;
	}

	HttpStatus status() {
		return this.status;
	}

}
