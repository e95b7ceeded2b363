package dev.authserver.mfa;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.authserver.AuthServerProperties;
import dev.authserver.PagesSecurityCustomizer;
import dev.authserver.users.UserAccount;
import dev.authserver.users.UserAccountDetailsService;
import dev.authserver.users.UserAccounts;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.HttpMessageConverterAuthenticationSuccessHandler;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRpEntity;
import org.springframework.security.web.webauthn.api.UserVerificationRequirement;
import org.springframework.security.web.webauthn.authentication.WebAuthnAuthenticationFilter;
import org.springframework.security.web.webauthn.management.JdbcPublicKeyCredentialUserEntityRepository;
import org.springframework.security.web.webauthn.management.JdbcUserCredentialRepository;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialUserEntityRepository;
import org.springframework.security.web.webauthn.management.UserCredentialRepository;
import org.springframework.security.web.webauthn.management.Webauthn4JRelyingPartyOperations;

/**
 * Passkeys (WebAuthn, Spring Security's {@code http.webAuthn()}): registered by a signed-in person, then a complete
 * sign-in on their own (user verification required), as their account: the principal's name is the account id and
 * the authorities are {@link UserAccountDetailsService#authoritiesOf}, plus {@code FACTOR_WEBAUTHN}.
 */
@Configuration(proxyBeanMethods = false)
class PasskeysConfiguration {

	@Bean
	PublicKeyCredentialUserEntityRepository publicKeyCredentialUserEntityRepository(JdbcOperations jdbc) {
		return new JdbcPublicKeyCredentialUserEntityRepository(jdbc);
	}

	@Bean
	UserCredentialRepository userCredentialRepository(JdbcOperations jdbc,
			PublicKeyCredentialUserEntityRepository users, ApplicationEventPublisher events, Clock clock) {
		return new AuditedUserCredentialRepository(new JdbcUserCredentialRepository(jdbc), users, events, clock);
	}

	/**
	 * The relying party is the configured issuer, never the request's Host header: its host is the RP ID and its
	 * origin the only origin accepted.
	 */
	@Bean
	Webauthn4JRelyingPartyOperations webAuthnRelyingPartyOperations(PublicKeyCredentialUserEntityRepository users,
			UserCredentialRepository credentials, AuthServerProperties properties, MfaProperties mfa) {
		URI issuer = URI.create(properties.issuer());
		String origin = issuer.getScheme() + "://" + issuer.getAuthority();
		Webauthn4JRelyingPartyOperations operations = new Webauthn4JRelyingPartyOperations(users, credentials,
				PublicKeyCredentialRpEntity.builder().id(issuer.getHost()).name(mfa.totpIssuer()).build(),
				Set.of(origin));
		// A passkey alone is a complete sign-in only with user verification (PIN, biometrics): WebAuthn §6.2.3.
		operations.setCustomizeRequestOptions(
				(options) -> options.userVerification(UserVerificationRequirement.REQUIRED));
		return operations;
	}

	@Bean
	PagesSecurityCustomizer passkeysOnPages(UserAccounts accounts, UserAccountDetailsService userDetailsService) {
		UserDetailsService byAccountId = (name) -> accountOf(accounts, name)
			.map((account) -> User.withUsername(account.id().toString())
				.password("")
				.authorities(userDetailsService.authoritiesOf(account.id()))
				.build())
			.orElseThrow(() -> new UsernameNotFoundException("No account for that passkey"));
		AuthenticationSuccessHandler success = asOurPrincipal(byAccountId);
		// @formatter:off
		return (http) -> {
			// WebAuthnConfigurer takes the UserDetailsService from the shared objects first: the passkey's user entity
			// is named by the account id, which our password sign-in does not accept as a login.
			http.setSharedObject(UserDetailsService.class, byAccountId);
			http.authorizeHttpRequests((authorize) -> authorize
				.requestMatchers("/js/**").permitAll());
			http.webAuthn((webAuthn) -> webAuthn
				.disableDefaultRegistrationPage(true)
				.withObjectPostProcessor(new ObjectPostProcessor<WebAuthnAuthenticationFilter>() {
					@Override
					public <O extends WebAuthnAuthenticationFilter> O postProcess(O filter) {
						filter.setAuthenticationSuccessHandler(success);
						return filter;
					}
				}));
		};
		// @formatter:on
	}

	/**
	 * Replaces Spring's {@code WebAuthnAuthentication} by a {@link UsernamePasswordAuthenticationToken} of Spring's
	 * {@link User}, with the same authorities ({@code FACTOR_WEBAUTHN} included): the same principal type as a
	 * password sign-in, which the authorization service stores with Spring Security's Jackson allow-list.
	 */
	private static AuthenticationSuccessHandler asOurPrincipal(UserDetailsService byAccountId) {
		HttpSessionSecurityContextRepository contexts = new HttpSessionSecurityContextRepository();
		HttpMessageConverterAuthenticationSuccessHandler json = new HttpMessageConverterAuthenticationSuccessHandler();
		return (HttpServletRequest request, HttpServletResponse response, Authentication authentication) -> {
			User user = (User) byAccountId.loadUserByUsername(authentication.getName());
			user.eraseCredentials();
			UsernamePasswordAuthenticationToken converted = UsernamePasswordAuthenticationToken.authenticated(user,
					null, List.copyOf(authentication.getAuthorities()));
			converted.setDetails(authentication.getDetails());
			SecurityContext context = SecurityContextHolder.createEmptyContext();
			context.setAuthentication(converted);
			SecurityContextHolder.setContext(context);
			request.changeSessionId();
			contexts.saveContext(context, request, response);
			try {
				json.onAuthenticationSuccess(request, response, converted);
			}
			catch (ServletException ex) {
				throw new IOException(ex);
			}
		};
	}

	private static Optional<UserAccount> accountOf(UserAccounts accounts, String name) {
		try {
			return accounts.findById(UUID.fromString(name)).filter(UserAccount::enabled);
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

}
