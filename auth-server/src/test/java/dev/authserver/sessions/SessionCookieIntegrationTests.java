package dev.authserver.sessions;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.authserver.IntegrationTestSupport;
import dev.authserver.OidcTestClient;
import dev.authserver.TestRegisteredClients;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any session cookie value is untrusted input: whatever it holds (a NUL byte, Base64 of a NUL byte, megabytes of
 * Unicode, ...) the server answers as if there were no session, never with a server error.
 */
class SessionCookieIntegrationTests extends IntegrationTestSupport {

	private static final List<String> HOSTILE_VALUES = List.of("AA==", "%00", "\u0000", "abc\u0000def", "\u0001\u001f",
			"x".repeat(6000), "!!not*base64!!", "====", "ü€😀\uD800", "\"quoted\"", "a b", "../../etc/passwd",
			"' OR 1=1 --");

	@Test
	void whenSessionCookieIsHostileThenPagesAndEndpointsAnswerWithoutServerError() throws IOException {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
		String authorize = rp.authorizationRequest(TestRegisteredClients.REDIRECT_URI, "openid")
			.uri()
			.substring(ISSUER.length());
		String tokenBody = "grant_type=authorization_code&code=nope&redirect_uri="
				+ java.net.URLEncoder.encode(TestRegisteredClients.REDIRECT_URI, StandardCharsets.UTF_8);
		for (String value : HOSTILE_VALUES) {
			String label = value.chars()
				.limit(20)
				.mapToObj((c) -> (c < 0x20 || c > 0x7e) ? String.format("\\u%04x", c) : String.valueOf((char) c))
				.collect(java.util.stream.Collectors.joining());
			assertThat(status(send("GET /login HTTP/1.1", value, null, null))).as("login page, " + label)
				.isIn(expected(value, 200));
			// A protected page: no session, so to the sign-in page.
			assertThat(status(send("GET / HTTP/1.1", value, null, null))).as("home page, " + label)
				.isIn(expected(value, 302));
			assertThat(status(send("GET " + authorize + " HTTP/1.1", value, null, null)))
				.as("authorization endpoint, " + label)
				.isIn(expected(value, 302));
			String token = send("POST /oauth2/token HTTP/1.1", value, TestRegisteredClients.basicAuthorization(client),
					tokenBody);
			assertThat(status(token)).as("token endpoint, " + label).isEqualTo(400);
			if (expected(value, 400).size() == 1) {
				assertThat(token).contains("invalid_grant");
			}
		}
	}

	// Tomcat refuses a header holding a control character (400) before any of our code runs, and Spring Security's
	// firewall a header whose bytes, read as ISO-8859-1, are C1 controls (UTF-8 beyond ASCII): both are a clear 400.
	// Every other value reaches the server, which must treat it as an unknown session.
	private static List<Integer> expected(String cookie, int status) {
		return cookie.chars().anyMatch((c) -> c < 0x20 || c > 0x7e) ? List.of(400, status) : List.of(status);
	}

	@Test
	void whenSeveralSessionCookiesAreSentThenNoServerError() throws IOException {
		String answer = send("GET / HTTP/1.1", "AA==; JSESSIONID=%00; JSESSIONID=" + "y".repeat(3000), null, null);

		assertThat(status(answer)).isEqualTo(302);
	}

	// A raw request: Java's HttpClient refuses to send control characters and non-ASCII in a header.
	private static String send(String requestLine, String cookie, @Nullable String authorization,
			@Nullable String form) throws IOException {
		try (Socket socket = new Socket("localhost", PORT)) {
			StringBuilder request = new StringBuilder(requestLine).append("\r\nHost: localhost:")
				.append(PORT)
				.append("\r\nAccept: text/html\r\nCookie: JSESSIONID=")
				.append(cookie)
				.append("\r\n");
			if (authorization != null) {
				request.append("Authorization: ").append(authorization).append("\r\n");
			}
			byte[] body = (form != null) ? form.getBytes(StandardCharsets.US_ASCII) : new byte[0];
			if (form != null) {
				request.append("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ")
					.append(body.length)
					.append("\r\n");
			}
			request.append("Connection: close\r\n\r\n");
			socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
			socket.getOutputStream().write(body);
			String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(answer).doesNotContain("Exception").doesNotContain("at org.");
			return answer;
		}
	}

	private static int status(String answer) {
		return Integer.parseInt(answer.substring(9, 12));
	}

}
