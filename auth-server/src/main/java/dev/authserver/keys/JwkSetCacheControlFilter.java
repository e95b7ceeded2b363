package dev.authserver.keys;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets clients cache the JWK set for {@code jwk-set-max-age}. Spring Security marks every response it writes
 * {@code no-store} unless a {@code Cache-Control} header is already set, so this filter runs before it.
 * {@code publish-ahead} is validated to be longer than this, so a cached copy already holds the next key.
 */
final class JwkSetCacheControlFilter extends OncePerRequestFilter {

	private final String jwkSetEndpoint;

	private final String cacheControl;

	JwkSetCacheControlFilter(String jwkSetEndpoint, Duration maxAge) {
		this.jwkSetEndpoint = jwkSetEndpoint;
		this.cacheControl = "public, max-age=" + maxAge.toSeconds();
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !HttpMethod.GET.matches(request.getMethod())
				|| !this.jwkSetEndpoint.equals(request.getRequestURI().substring(request.getContextPath().length()));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		response.setHeader(HttpHeaders.CACHE_CONTROL, this.cacheControl);
		chain.doFilter(request, response);
	}

}
