package dev.authserver.admin;

import java.net.URI;
import java.util.List;
import java.util.Map;

import dev.authserver.clients.ClientRegistrationException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Answers every error of the admin API with a {@code ProblemDetail}; validation errors list each field and what is
 * wrong with it. Never a stack trace, never the rejected value.
 */
@RestControllerAdvice(assignableTypes = { ClientAdminController.class, AuditAdminController.class,
		RegistrationTokenAdminController.class })
class AdminApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Log logger = LogFactory.getLog(AdminApiExceptionHandler.class);

	static final URI INVALID_CLIENT_METADATA = URI.create("urn:authserver:problem:invalid-client-metadata");

	@ExceptionHandler
	ProblemDetail on(ClientRegistrationException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				"The client registration is invalid");
		problem.setType(INVALID_CLIENT_METADATA);
		problem.setTitle("Invalid client metadata");
		List<Map<String, String>> errors = ex.violations()
			.stream()
			.map((violation) -> Map.of("field", violation.field(), "message", violation.message()))
			.toList();
		problem.setProperty("errors", errors);
		return problem;
	}

	@ExceptionHandler
	ProblemDetail on(AdminApiException ex) {
		return ProblemDetail.forStatusAndDetail(ex.status(), ex.getMessage());
	}

	@ExceptionHandler
	ProblemDetail on(IllegalArgumentException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "The request is invalid");
	}

	@ExceptionHandler
	ProblemDetail on(RuntimeException ex) {
		// Logged without request data; the caller gets no detail it could use.
		logger.error("Admin API request failed: " + ex.getClass().getName());
		return ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "The request could not be handled");
	}

}
