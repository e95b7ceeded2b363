package dev.authserver.users;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.authserver.Browser;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fills in our account pages' forms the way a browser does: fetches the page, keeps its hidden fields (CSRF token,
 * link token) and posts the form with the given values.
 */
final class AccountForms {

	private AccountForms() {
	}

	/** Fetches {@code pageUrl}, fills the form with id {@code formId} and posts it to {@code issuer + action}. */
	static HttpResponse<String> submit(Browser browser, String issuer, String pageUrl, String formId,
			Map<String, String> values) {
		HttpResponse<String> page = browser.get(pageUrl);
		assertThat(page.statusCode()).as("page " + pageUrl).isEqualTo(200);
		return submit(browser, issuer, page, formId, values);
	}

	static HttpResponse<String> submit(Browser browser, String issuer, HttpResponse<String> page, String formId,
			Map<String, String> values) {
		Document document = Jsoup.parse(page.body());
		Element form = document.getElementById(formId);
		assertThat(form).as("form " + formId + " on the page").isNotNull();
		List<Map.Entry<String, String>> fields = new ArrayList<>();
		for (Map.Entry<String, String> field : Browser.formFields(form)) {
			if (!values.containsKey(field.getKey())) {
				fields.add(field);
			}
		}
		fields.addAll(values.entrySet());
		return browser.postForm(issuer + form.attr("action"), fields);
	}

	/** The page's text without the CSRF token, which differs per session. */
	static String withoutCsrf(String body) {
		return body.replaceAll("name=\"_csrf\" value=\"[^\"]*\"", "name=\"_csrf\"");
	}

}
