package dev.authserver.clients;

import java.text.ParseException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;

import com.nimbusds.jwt.JWTParser;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.web.authentication.JwtClientAssertionAuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * An {@link AuthenticationConverter} for {@code private_key_jwt} requests that carry no {@code client_id}.
 * <p>
 * RFC 7521 §4.2 and OIDC Core 1.0 §9 make {@code client_id} optional next to a client assertion (the assertion's
 * {@code sub} names the client), and certified client libraries leave it out; Spring's converter requires it. This
 * converter takes the client id from the assertion's unverified {@code sub} and hands the request to Spring's
 * converter. Nothing is trusted on that basis: the authentication provider then verifies the signature with that
 * client's registered keys and checks {@code iss}, {@code sub}, {@code aud} and expiry.
 */
public final class ClientAssertionAuthenticationConverter implements AuthenticationConverter {

	private static final int MAX_ASSERTION_LENGTH = 8_192;

	private final JwtClientAssertionAuthenticationConverter delegate = new JwtClientAssertionAuthenticationConverter();

	@Override
	public @Nullable Authentication convert(HttpServletRequest request) {
		String[] assertions = request.getParameterValues(OAuth2ParameterNames.CLIENT_ASSERTION);
		if (assertions == null || assertions.length != 1 || request.getParameter(OAuth2ParameterNames.CLIENT_ID) != null
				|| assertions[0].length() > MAX_ASSERTION_LENGTH) {
			// Spring's own converters answer everything else, including duplicated parameters.
			return null;
		}
		String subject;
		try {
			subject = JWTParser.parse(assertions[0]).getJWTClaimsSet().getSubject();
		}
		catch (ParseException ex) {
			return null;
		}
		if (subject == null || !LookupKeys.isPlausible(subject, 100)) {
			return null;
		}
		return this.delegate.convert(new WithClientId(request, subject));
	}

	private static final class WithClientId extends HttpServletRequestWrapper {

		private final Map<String, String[]> parameters;

		WithClientId(HttpServletRequest request, String clientId) {
			super(request);
			Map<String, String[]> parameters = new HashMap<>(request.getParameterMap());
			parameters.put(OAuth2ParameterNames.CLIENT_ID, new String[] { clientId });
			this.parameters = Collections.unmodifiableMap(parameters);
		}

		@Override
		public @Nullable String getParameter(String name) {
			String[] values = this.parameters.get(name);
			return (values != null && values.length > 0) ? values[0] : null;
		}

		@Override
		public Map<String, String[]> getParameterMap() {
			return this.parameters;
		}

		@Override
		public Enumeration<String> getParameterNames() {
			return Collections.enumeration(this.parameters.keySet());
		}

		@Override
		public String @Nullable [] getParameterValues(String name) {
			return this.parameters.get(name);
		}

	}

}
