package dev.authserver.sessions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import dev.authserver.users.UserAccountDisabled;
import dev.authserver.users.UserPasswordChanged;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.stereotype.Service;
import org.springframework.util.Assert;

/**
 * The signed-in sessions of a user account: listed by principal name (the account id) and ended one by one, or all
 * at once when the account's password changes.
 */
@Service
public class UserSessions {

	private final FindByIndexNameSessionRepository<? extends Session> sessions;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	UserSessions(FindByIndexNameSessionRepository<? extends Session> sessions, ApplicationEventPublisher events,
			Clock clock) {
		this.sessions = sessions;
		this.events = events;
		this.clock = clock;
	}

	/**
	 * The account's sessions, newest first. A session is named by a digest of its id, never the id itself: the id is
	 * the cookie value, and a page must not show one session the cookie of another.
	 */
	public List<UserSession> list(UUID userAccountId, @Nullable String currentSessionId) {
		return find(userAccountId).values()
			.stream()
			.map((session) -> new UserSession(handleOf(session.getId()), session.getCreationTime(),
					session.getLastAccessedTime(), session.getAttribute(SessionsConfiguration.REMOTE_ADDRESS),
					session.getAttribute(SessionsConfiguration.USER_AGENT),
					session.getId().equals(currentSessionId)))
			.sorted(Comparator.comparing(UserSession::createdAt).reversed())
			.toList();
	}

	/**
	 * Ends the account's session named by {@code handle}.
	 * @return whether such a session existed
	 */
	public boolean end(UUID userAccountId, String handle) {
		Assert.hasText(handle, "handle cannot be empty");
		Optional<String> sessionId = find(userAccountId).keySet()
			.stream()
			.filter((id) -> MessageDigest.isEqual(handleOf(id).getBytes(StandardCharsets.US_ASCII),
					handle.getBytes(StandardCharsets.US_ASCII)))
			.findFirst();
		sessionId.ifPresent((id) -> {
			this.sessions.deleteById(id);
			this.events.publishEvent(new SessionEnded(userAccountId, "ended_by_user", this.clock.instant()));
		});
		return sessionId.isPresent();
	}

	// Contract of UserPasswordChanged: every session of the account ends, except the one that made the change.
	@EventListener
	void on(UserPasswordChanged event) {
		Instant now = this.clock.instant();
		for (String id : find(event.userAccountId()).keySet()) {
			if (!Objects.equals(id, event.keepSessionId())) {
				this.sessions.deleteById(id);
				this.events.publishEvent(new SessionEnded(event.userAccountId(), "password_changed", now));
			}
		}
	}

	// A disabled account is signed out everywhere at once: its open sessions would otherwise keep getting new
	// authorization codes until they expire (the admin's incident-response button must work now).
	@EventListener
	void on(UserAccountDisabled event) {
		Instant now = this.clock.instant();
		for (String id : find(event.userAccountId()).keySet()) {
			this.sessions.deleteById(id);
			this.events.publishEvent(new SessionEnded(event.userAccountId(), "account_disabled", now));
		}
	}

	private Map<String, ? extends Session> find(UUID userAccountId) {
		return this.sessions.findByPrincipalName(userAccountId.toString());
	}

	static String handleOf(String sessionId) {
		return DigestingHttpSessionIdResolver.digest(sessionId);
	}

	/**
	 * One signed-in session, as shown to its owner.
	 * @param handle names the session in requests to end it (a digest of its id)
	 * @param current whether it is the session of the request that asked
	 */
	public record UserSession(String handle, Instant createdAt, Instant lastUsedAt, @Nullable String remoteAddress,
			@Nullable String userAgent, boolean current) {
	}

}
