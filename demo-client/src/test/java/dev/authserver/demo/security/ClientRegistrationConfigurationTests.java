package dev.authserver.demo.security;

import dev.authserver.demo.DemoClientProperties;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistration.ProviderDetails;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;

import static org.assertj.core.api.Assertions.assertThat;

class ClientRegistrationConfigurationTests {

	private static final DemoClientProperties properties = new DemoClientProperties("https://id.example.com",
			"demo-client", "s3cr3t", false);

	@Test
	void demoClientRegistrationWhenBuiltThenIsConfidentialOidcClientWithPkce() {
		ClientRegistration registration = ClientRegistrationConfiguration.demoClientRegistration(properties);

		assertThat(registration.getRegistrationId()).isEqualTo("demo");
		assertThat(registration.getClientId()).isEqualTo("demo-client");
		assertThat(registration.getClientSecret()).isEqualTo("s3cr3t");
		assertThat(registration.getClientAuthenticationMethod())
			.isEqualTo(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
		assertThat(registration.getAuthorizationGrantType()).isEqualTo(AuthorizationGrantType.AUTHORIZATION_CODE);
		assertThat(registration.getRedirectUri()).isEqualTo("{baseUrl}/login/oauth2/code/{registrationId}");
		assertThat(registration.getScopes()).containsExactlyInAnyOrder("openid", "profile", "email");
		assertThat(registration.getClientSettings().isRequireProofKey()).isTrue();
	}

	@Test
	void demoClientRegistrationWhenBuiltThenEndpointsDeriveFromIssuer() {
		ProviderDetails provider = ClientRegistrationConfiguration.demoClientRegistration(properties)
			.getProviderDetails();

		assertThat(provider.getIssuerUri()).isEqualTo("https://id.example.com");
		assertThat(provider.getAuthorizationUri()).isEqualTo("https://id.example.com/oauth2/authorize");
		assertThat(provider.getTokenUri()).isEqualTo("https://id.example.com/oauth2/token");
		assertThat(provider.getJwkSetUri()).isEqualTo("https://id.example.com/oauth2/jwks");
		assertThat(provider.getUserInfoEndpoint().getUri()).isEqualTo("https://id.example.com/userinfo");
		assertThat(provider.getUserInfoEndpoint().getUserNameAttributeName()).isEqualTo("sub");
		assertThat(provider.getConfigurationMetadata()).containsEntry("end_session_endpoint",
				"https://id.example.com/connect/logout");
	}

}
