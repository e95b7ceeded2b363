package dev.authserver.demo;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the demo relying party, bound under {@code demo.*}.
 *
 * @param issuer the authorization server's issuer identifier, with no trailing slash; every endpoint is derived
 * from it and ID tokens must carry exactly this value as {@code iss}
 * @param clientId the client id registered at the authorization server
 * @param clientSecret the client secret, sent with {@code client_secret_basic}; there is no default outside the
 * {@code dev} profile
 * @param showFederatedButtons whether the home page offers "Sign in with GitHub/Google", which reach the
 * authorization server as an {@code idp_hint}
 */
@Validated
@ConfigurationProperties("demo")
public record DemoClientProperties(@NotBlank @Pattern(regexp = "https?://[^?#]+[^/?#]") String issuer,
		@NotBlank String clientId,
		@NotBlank(message = "must be set: export DEMO_CLIENT_SECRET, pass --demo.client-secret=..., "
				+ "or run with --spring.profiles.active=dev") String clientSecret,
		@DefaultValue("false") boolean showFederatedButtons) {

	// A record prints every component; keep the secret out of logs and failure reports
	@Override
	public String toString() {
		return "DemoClientProperties[issuer=" + this.issuer + ", clientId=" + this.clientId
				+ ", clientSecret=[PROTECTED], showFederatedButtons=" + this.showFederatedButtons + "]";
	}

}
