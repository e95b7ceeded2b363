package dev.authserver.admin;

import org.springframework.http.HttpStatus;

/**
 * Bounds of the {@code page} and {@code size} parameters.
 */
final class Paging {

	private Paging() {
	}

	static void check(int page, int size, int maxSize) {
		if (page < 0 || page > 100_000 || size < 1 || size > maxSize) {
			throw new AdminApiException(HttpStatus.BAD_REQUEST,
					"page must be between 0 and 100000 and size between 1 and " + maxSize);
		}
	}

}
