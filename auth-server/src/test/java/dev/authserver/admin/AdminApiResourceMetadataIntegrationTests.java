package dev.authserver.admin;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import dev.authserver.IntegrationTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin API's and UserInfo's {@code WWW-Authenticate} names its protected resource metadata (RFC 9728 §5.1) under our issuer,
 * whatever {@code Host} header the caller sent.
 */
class AdminApiResourceMetadataIntegrationTests extends IntegrationTestSupport {

	@Test
	void whenAnUnauthenticatedCallerSendsAForeignHostThenResourceMetadataStillNamesTheIssuer() throws Exception {
		String response = rawGet("/api/admin/clients", "attacker.example");

		assertThat(response).startsWith("HTTP/1.1 401");
		String challenge = response.lines()
			.filter((line) -> line.regionMatches(true, 0, "WWW-Authenticate:", 0, 17))
			.findFirst()
			.orElseThrow();
		assertThat(challenge).contains("resource_metadata=\"" + ISSUER + "/.well-known/oauth-protected-resource\"")
			.doesNotContain("attacker.example");
	}

	@Test
	void whenUserInfoIsCalledWithAForeignHostThenResourceMetadataStillNamesTheIssuer() throws Exception {
		for (String authorization : new String[] { "", "Authorization: Bearer not-a-token\r\n" }) {
			String response = rawGet("/userinfo", "attacker.example", authorization);

			assertThat(response).startsWith("HTTP/1.1 401");
			assertThat(response).contains("resource_metadata=\"" + ISSUER + "/.well-known/oauth-protected-resource\"")
				.doesNotContain("attacker.example");
		}
	}

	private static String rawGet(String path, String host) throws Exception {
		return rawGet(path, host, "");
	}

	// java.net.http refuses to set Host: a socket sends what an attacker would.
	private static String rawGet(String path, String host, String headers) throws Exception {
		try (Socket socket = new Socket("127.0.0.1", PORT)) {
			socket.setSoTimeout(30_000);
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: application/json\r\n"
					+ headers + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
		}
	}

}
