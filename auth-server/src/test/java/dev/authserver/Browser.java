package dev.authserver;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A person's browser, as far as the protocol is concerned: keeps cookies, does not follow redirects on its own
 * (so tests see every hop), and fills in the forms of our login and consent pages as they are served.
 */
public final class Browser {

	private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);

	private final HttpClient http = HttpClient.newBuilder()
		.cookieHandler(this.cookies)
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	public HttpResponse<String> get(String url) {
		return send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html").GET());
	}

	public HttpResponse<String> getWithHeader(String url, String name, String value) {
		return send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html").header(name, value).GET());
	}

	public HttpResponse<String> postForm(String url, List<Map.Entry<String, String>> fields) {
		StringBuilder body = new StringBuilder();
		for (Map.Entry<String, String> field : fields) {
			if (body.length() > 0) {
				body.append('&');
			}
			body.append(encode(field.getKey())).append('=').append(encode(field.getValue()));
		}
		return send(HttpRequest.newBuilder(URI.create(url))
			.header("Accept", "text/html")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body.toString())));
	}

	/** A JSON POST, as a page's script sends it (WebAuthn ceremonies), with the CSRF token in its header. */
	public HttpResponse<String> postJson(String url, String json, String csrfToken) {
		return send(HttpRequest.newBuilder(URI.create(url))
			.header("Accept", "application/json")
			.header("Content-Type", "application/json")
			.header("X-CSRF-TOKEN", csrfToken)
			.POST(HttpRequest.BodyPublishers.ofString(json)));
	}

	/** Fetches the login page and submits it; returns the answer to the form post. */
	public HttpResponse<String> signIn(String issuer, String username, String password) {
		Document login = Jsoup.parse(get(issuer + "/login").body());
		return postForm(issuer + "/login", List.of(Map.entry("username", username), Map.entry("password", password),
				Map.entry("_csrf", csrfToken(login))));
	}

	/**
	 * Starts at an authorization request and follows it the way a person would: signs in when asked, approves
	 * every scope on the consent page when shown, and stops at the first redirect leaving the server.
	 * @return the URL the server sent the browser back to (the client's redirect URI with code or error)
	 */
	public String authorize(String issuer, String authorizationRequest, String username, String password) {
		String next = authorizationRequest;
		for (int hop = 0; hop < 10; hop++) {
			HttpResponse<String> response = get(next);
			if (response.statusCode() == 302) {
				String location = location(response, next);
				if (!location.startsWith(issuer)) {
					return location;
				}
				if (URI.create(location).getPath().equals("/login")) {
					HttpResponse<String> signedIn = signIn(issuer, username, password);
					assertThat(signedIn.statusCode()).as("sign-in answer").isEqualTo(302);
					next = location(signedIn, issuer + "/login");
					assertThat(next).as("sign-in must succeed").doesNotContain("/login?error");
				}
				else {
					next = location;
				}
				continue;
			}
			assertThat(response.statusCode()).as("answer to " + next).isEqualTo(200);
			Document page = Jsoup.parse(response.body());
			Element consent = page.getElementById("consent-form");
			assertThat(consent).as("expected the consent page at " + next).isNotNull();
			HttpResponse<String> approved = postForm(issuer + "/oauth2/authorize", formFields(consent));
			assertThat(approved.statusCode()).isEqualTo(302);
			return location(approved, issuer);
		}
		throw new AssertionError("Too many redirects from " + authorizationRequest);
	}

	public Optional<HttpCookie> cookie(String name) {
		return this.cookies.getCookieStore().getCookies().stream().filter((c) -> c.getName().equals(name)).findFirst();
	}

	public static String csrfToken(Document page) {
		Element token = page.selectFirst("input[name=_csrf]");
		assertThat(token).as("CSRF token on the page").isNotNull();
		return token.attr("value");
	}

	/** The fields a browser would submit for a form: hidden and text inputs, and checked checkboxes. */
	public static List<Map.Entry<String, String>> formFields(Element form) {
		List<Map.Entry<String, String>> fields = new ArrayList<>();
		for (Element input : form.select("input[name]")) {
			String type = input.attr("type");
			if (("checkbox".equals(type) || "radio".equals(type)) && !input.hasAttr("checked")) {
				continue;
			}
			fields.add(Map.entry(input.attr("name"), input.attr("value")));
		}
		return fields;
	}

	public static String location(HttpResponse<?> response, String base) {
		String location = response.headers().firstValue("Location").orElseThrow(
				() -> new AssertionError("No Location header in a " + response.statusCode() + " answer"));
		return URI.create(base).resolve(location).toString();
	}

	/** Sends any request with this browser's cookies (for JSON calls made from a signed-in session). */
	public HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.http.send(request.timeout(Duration.ofSeconds(30)).build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
