package dev.authserver.sessions;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.authserver.crypto.Digests;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.session.SessionIdGenerator;
import org.springframework.session.web.http.HttpSessionIdResolver;

/**
 * An {@link HttpSessionIdResolver} and {@link SessionIdGenerator} that keep only a SHA-256 digest of each session id
 * in the database: the cookie carries a random secret, the session store (and everything on the server that names a
 * session: {@code HttpSession.getId()}, the session registry, the sessions page) knows only its digest.
 * <p>
 * Whoever reads {@code spring_session} (a backup, a replica) therefore cannot open anyone's session: sending a stored
 * id as a cookie looks up the digest of that id, which no row holds. Any cookie value, however hostile (a NUL byte,
 * megabytes of Unicode), becomes a 36-character digest before it reaches the database, so a bad cookie is simply an
 * unknown session.
 * <p>
 * The secret is chosen when Spring Session asks for a new id (a new session, or {@code changeSessionId()} at sign-in)
 * and is held by the thread until {@link #setSessionId} writes the cookie at the end of the same request.
 */
final class DigestingHttpSessionIdResolver implements HttpSessionIdResolver, SessionIdGenerator {

	private static final Log logger = LogFactory.getLog(DigestingHttpSessionIdResolver.class);

	// 36 characters of Base64url (216 bits): the width of spring_session.session_id (0030-spring-session).
	private static final int DIGEST_LENGTH = 36;

	// Ids issued by this thread whose cookie is not written yet (a request may create a session and change its id
	// at sign-in); bounded, so that ids generated outside a request cannot accumulate.
	private static final int PENDING_LIMIT = 8;

	private final SecureRandom random = new SecureRandom();

	private final HttpSessionIdResolver delegate;

	private final ThreadLocal<Map<String, String>> pending = ThreadLocal.withInitial(() -> new LinkedHashMap<>() {
		@Override
		protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
			return size() > PENDING_LIMIT;
		}
	});

	DigestingHttpSessionIdResolver(HttpSessionIdResolver delegate) {
		this.delegate = delegate;
	}

	/** A new session id: the digest of a fresh 256-bit secret, which goes into the cookie and nowhere else. */
	@Override
	public String generate() {
		byte[] bytes = new byte[32];
		this.random.nextBytes(bytes);
		String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		String id = digest(secret);
		this.pending.get().put(id, secret);
		return id;
	}

	@Override
	public List<String> resolveSessionIds(HttpServletRequest request) {
		return this.delegate.resolveSessionIds(request).stream().map(DigestingHttpSessionIdResolver::digest).toList();
	}

	@Override
	public void setSessionId(HttpServletRequest request, HttpServletResponse response, String sessionId) {
		String secret = this.pending.get().remove(sessionId);
		if (secret == null) {
			// Only ids generated in this request are ever written (a new session, or a changed id): without its
			// secret no cookie can name the session, and the person simply has none.
			logger.warn("No cookie value for a session created outside this request; no session cookie written");
			return;
		}
		this.delegate.setSessionId(request, response, secret);
	}

	@Override
	public void expireSession(HttpServletRequest request, HttpServletResponse response) {
		this.delegate.expireSession(request, response);
	}

	/** Forgets this thread's cookie values not written yet: called when a request ends. */
	void forgetPending() {
		this.pending.remove();
	}

	/** The id under which the session named by a cookie value is stored. */
	static String digest(String cookieValue) {
		return Digests.sha256Base64Url(cookieValue).substring(0, DIGEST_LENGTH);
	}

}
