package dev.authserver.sessions;

import java.io.IOException;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import dev.authserver.PagesSecurityCustomizer;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.session.jdbc.config.annotation.web.http.EnableJdbcHttpSession;
import org.springframework.session.security.SpringSessionBackedSessionRegistry;
import org.springframework.session.web.http.CookieHttpSessionIdResolver;
import org.springframework.session.web.http.CookieSerializer;
import org.springframework.session.web.http.DefaultCookieSerializer;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * HTTP sessions in the database (Spring Session JDBC, tables from {@code 0030-spring-session.yaml}): every instance
 * sees every session, and a user's sessions can be listed by principal name (the account id) and ended.
 */
@Configuration(proxyBeanMethods = false)
@EnableJdbcHttpSession
class SessionsConfiguration {

	/** Session attribute: the client address that signed in, shown on the sessions page. */
	static final String REMOTE_ADDRESS = "authserver.sessions.remoteAddress";

	/** Session attribute: the browser's User-Agent at sign-in, shown on the sessions page. */
	static final String USER_AGENT = "authserver.sessions.userAgent";

	/**
	 * The session cookie, as Spring Boot would write it from {@code server.servlet.session.cookie.*} (Boot's own
	 * Spring Session auto-configuration is not used, see the root POM): same name as before, HttpOnly, SameSite=Lax,
	 * Secure unless turned off for plain-HTTP development.
	 */
	@Bean
	CookieSerializer cookieSerializer(@Value("${server.servlet.session.cookie.secure:true}") boolean secure) {
		DefaultCookieSerializer serializer = new DefaultCookieSerializer();
		serializer.setCookieName("JSESSIONID");
		serializer.setUseHttpOnlyCookie(true);
		serializer.setSameSite("Lax");
		serializer.setUseSecureCookie(secure);
		// The value is already Base64url (DigestingHttpSessionIdResolver): sent as it is, read as it is.
		serializer.setUseBase64Encoding(false);
		return serializer;
	}

	/**
	 * Session ids are digests of the cookie value: a read of the session tables (a backup, a replica) opens no
	 * session. Plays both roles Spring Session asks for: it generates the ids and resolves cookies to them.
	 */
	@Bean
	DigestingHttpSessionIdResolver httpSessionIdResolver(CookieSerializer cookieSerializer) {
		CookieHttpSessionIdResolver cookies = new CookieHttpSessionIdResolver();
		cookies.setCookieSerializer(cookieSerializer);
		return new DigestingHttpSessionIdResolver(cookies);
	}

	/**
	 * Empties the resolver's per-thread hand-over of cookie values at the end of every request, whatever happened in
	 * it (an id superseded by {@code changeSessionId}, an exception, an async dispatch): no session secret outlives
	 * its request on a pooled thread. Outside Spring Session's filter, so it runs after the cookie is written.
	 */
	@Bean
	FilterRegistrationBean<OncePerRequestFilter> sessionIdHandOverFilter(DigestingHttpSessionIdResolver resolver) {
		FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(
				new OncePerRequestFilter() {
					@Override
					protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
							FilterChain chain) throws ServletException, IOException {
						try {
							chain.doFilter(request, response);
						}
						finally {
							resolver.forgetPending();
						}
					}
				});
		// Before SessionRepositoryFilter (Integer.MIN_VALUE + 50), so its finally block comes after that filter's.
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	/**
	 * The {@link SessionRegistry} the authorization server reads when it issues an ID token ({@code sid},
	 * {@code auth_time}) and checks a logout's {@code sid}: backed by the shared session store, so that a code
	 * redeemed at another instance, or after a restart, finds the session it was issued in. Without this bean Spring
	 * keeps one in memory per instance, which misses sessions it did not see start and never forgets ended ones. The
	 * ids it knows are digests (see {@link DigestingHttpSessionIdResolver}), and the {@code sid} Spring derives is a
	 * hash of that digest: no cookie value leaves the server.
	 */
	@Bean
	<S extends Session> SessionRegistry sessionRegistry(FindByIndexNameSessionRepository<S> sessions) {
		return new SpringSessionBackedSessionRegistry<>(sessions);
	}

	/** The pages of an RP-initiated logout without id_token_hint are open (they check the session themselves). */
	@Bean
	PagesSecurityCustomizer logoutPages() {
		return (http) -> http.authorizeHttpRequests((authorize) -> authorize
			.requestMatchers(RpInitiatedLogout.CONFIRMATION_PAGE, RpInitiatedLogout.SIGNED_OUT_PAGE)
			.permitAll());
	}

	/**
	 * Sessions expire after {@code server.servlet.session.timeout} of inactivity (Spring Boot's setting, 30 minutes
	 * by default), as they did before they moved to the database.
	 */
	@Bean
	SessionRepositoryCustomizer<JdbcIndexedSessionRepository> sessionTimeout(
			@Value("${server.servlet.session.timeout:30m}") Duration timeout) {
		return (repository) -> repository.setDefaultMaxInactiveInterval(timeout);
	}

	/**
	 * Notes the address and browser of a signed-in session once, after Spring Security has run, so that the
	 * sessions page can tell the person's sessions apart.
	 */
	@Bean
	FilterRegistrationBean<OncePerRequestFilter> sessionDetailsFilter() {
		FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(
				new OncePerRequestFilter() {
					@Override
					protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
							FilterChain chain) throws ServletException, IOException {
						HttpSession session = request.getSession(false);
						if (session != null && request.getUserPrincipal() != null
								&& session.getAttribute(REMOTE_ADDRESS) == null) {
							session.setAttribute(REMOTE_ADDRESS, request.getRemoteAddr());
							String userAgent = request.getHeader("User-Agent");
							session.setAttribute(USER_AGENT,
									(userAgent != null) ? abbreviate(userAgent) : "unknown browser");
						}
						chain.doFilter(request, response);
					}
				});
		// After Spring Security's filter chain (order -100), which makes the principal visible on the request.
		registration.setOrder(0);
		return registration;
	}

	private static String abbreviate(String userAgent) {
		String clean = userAgent.replaceAll("\\p{Cntrl}", "");
		return (clean.length() > 200) ? clean.substring(0, 200) : clean;
	}

}
