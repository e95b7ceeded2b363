package dev.authserver.demo.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.oidc.web.logout.OidcClientInitiatedLogoutSuccessHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.logout.LogoutSuccessHandler;

/**
 * The demo's one {@link SecurityFilterChain}: public home page, everything else behind OpenID Connect sign-in.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http, ClientRegistrationRepository clientRegistrations) {
		// @formatter:off
		http
			.authorizeHttpRequests((authorize) -> authorize
				.requestMatchers("/", "/error", "/css/**", "/favicon.ico").permitAll()
				.anyRequest().authenticated()
			)
			.oauth2Login((login) -> login
				// The home page holds the sign-in buttons, so there is no generated login page
				.loginPage("/")
				.authorizationEndpoint((authorization) -> authorization
					.authorizationRequestResolver(new IdpHintOAuth2AuthorizationRequestResolver(clientRegistrations))
				)
				// A saved request (say /profile) still wins; otherwise show what the sign-in produced
				.defaultSuccessUrl("/profile")
			)
			.logout((logout) -> logout
				.logoutSuccessHandler(oidcLogoutSuccessHandler(clientRegistrations))
			);
		// @formatter:on
		return http.build();
	}

	// OIDC RP-Initiated Logout 1.0: end the session at the authorization server too, then come back home
	private static LogoutSuccessHandler oidcLogoutSuccessHandler(ClientRegistrationRepository clientRegistrations) {
		OidcClientInitiatedLogoutSuccessHandler handler = new OidcClientInitiatedLogoutSuccessHandler(
				clientRegistrations);
		handler.setPostLogoutRedirectUri("{baseUrl}/");
		return handler;
	}

}
