package dev.authserver.users;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.UserInfo;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import dev.authserver.Browser;
import dev.authserver.IntegrationTestSupport;
import dev.authserver.OidcTestClient;
import dev.authserver.TestRegisteredClients;
import dev.authserver.TestUserAccounts;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Roles held directly and through groups: the configuration-seeded groups, the authorities at sign-in, and the
 * {@code roles} and {@code groups} claims in ID and access tokens, present only when their scope is granted.
 */
class RolesAndGroupsIntegrationTests extends IntegrationTestSupport {

	@Autowired
	private UserRoles roles;

	@Autowired
	private UserGroups groups;

	@Autowired
	private UserAccountDetailsService userDetailsService;

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void whenRolesAndGroupsScopesGrantedThenClaimsInIdAndAccessTokensAlsoAfterRefresh() throws Exception {
		TestUserAccounts.Created user = newUser();
		String group = "eng-" + UUID.randomUUID().toString().substring(0, 8);
		this.roles.grant(user.account().id(), "auditor", null);
		seed(group, List.of("DEPLOYER"), List.of(user.account().email()));
		OidcTestClient rp = clientWithScopes();

		OIDCTokens tokens = signIn(rp, user, "openid roles groups");

		IDTokenClaimsSet idToken = rp.validate(tokens.getIDToken(), null);
		assertThat(idToken.getStringListClaim("roles")).containsExactly("AUDITOR", "DEPLOYER");
		assertThat(idToken.getStringListClaim("groups")).containsExactly(group);
		JWTClaimsSet accessToken = SignedJWT.parse(tokens.getAccessToken().getValue()).getJWTClaimsSet();
		assertThat(accessToken.getStringListClaim("roles")).containsExactly("AUDITOR", "DEPLOYER");
		assertThat(accessToken.getStringListClaim("groups")).containsExactly(group);
		// UserInfo answers the same from the records as they are now.
		UserInfo userInfo = userInfo(tokens.getAccessToken());
		assertThat(userInfo.getStringListClaim("roles")).containsExactly("AUDITOR", "DEPLOYER");
		assertThat(userInfo.getStringListClaim("groups")).containsExactly(group);
		// The claims are stored with the authorization and read back at the next refresh.
		OIDCTokens refreshed = OidcTestClient.success(rp.token(new RefreshTokenGrant(tokens.getRefreshToken())))
			.getOIDCTokens();
		assertThat(SignedJWT.parse(refreshed.getAccessToken().getValue()).getJWTClaimsSet()
			.getStringListClaim("roles")).containsExactly("AUDITOR", "DEPLOYER");
	}

	@Test
	void whenOnlyRolesScopeGrantedThenNoGroupsClaim() throws Exception {
		TestUserAccounts.Created user = newUser();
		seed("grp-" + UUID.randomUUID().toString().substring(0, 8), List.of("READER"), List.of(user.subject()));

		OIDCTokens tokens = signIn(clientWithScopes(), user, "openid roles");

		JWTClaimsSet accessToken = SignedJWT.parse(tokens.getAccessToken().getValue()).getJWTClaimsSet();
		assertThat(accessToken.getStringListClaim("roles")).containsExactly("READER");
		assertThat(accessToken.getClaim("groups")).isNull();
	}

	@Test
	void whenRolesScopeNotGrantedThenNoRolesOrGroupsClaims() throws Exception {
		TestUserAccounts.Created user = newUser();
		this.roles.grant(user.account().id(), "AUDITOR", null);
		seed("grp-" + UUID.randomUUID().toString().substring(0, 8), List.of("READER"), List.of(user.subject()));
		OidcTestClient rp = clientWithScopes();

		OIDCTokens tokens = signIn(rp, user, "openid profile");

		IDTokenClaimsSet idToken = rp.validate(tokens.getIDToken(), null);
		assertThat(idToken.getClaim("roles")).isNull();
		assertThat(idToken.getClaim("groups")).isNull();
		JWTClaimsSet accessToken = SignedJWT.parse(tokens.getAccessToken().getValue()).getJWTClaimsSet();
		assertThat(accessToken.getClaim("roles")).isNull();
		assertThat(accessToken.getClaim("groups")).isNull();
		UserInfo userInfo = userInfo(tokens.getAccessToken());
		assertThat(userInfo.getClaim("roles")).isNull();
		assertThat(userInfo.getClaim("groups")).isNull();
	}

	@Test
	void discoveryWhenRequestedThenAdvertisesRolesAndGroupsScopes() throws Exception {
		OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(new com.nimbusds.oauth2.sdk.id.Issuer(ISSUER));

		assertThat(metadata.getScopes().toStringList()).contains("roles", "groups");
		assertThat(metadata.getClaims()).contains("roles", "groups");
	}

	@Test
	void seederWhenRunAgainThenChangesNothingAndConfiguredRolesAreExact() {
		TestUserAccounts.Created user = newUser();
		String group = "ops-" + UUID.randomUUID().toString().substring(0, 8);

		seed(group, List.of("ADMIN", "OPERATOR"), List.of(user.account().email(), "no-such-user-" + UUID.randomUUID()));
		seed(group, List.of("ADMIN", "OPERATOR"), List.of(user.subject()));

		assertThat(this.groups.groupsOf(user.account().id())).containsExactly(group);
		assertThat(this.userDetailsService.authoritiesOf(user.account().id()))
			.extracting((authority) -> authority.getAuthority())
			.containsExactlyInAnyOrder("ROLE_USER", "ROLE_ADMIN", "ROLE_OPERATOR");
		assertThat(audits("group.member_added", user.account().id().toString())).isEqualTo(1);

		seed(group, List.of("OPERATOR"), List.of());

		assertThat(this.groups.rolesOfGroup(group)).containsExactly("OPERATOR");
		assertThat(this.groups.rolesOf(user.account().id())).containsExactly("OPERATOR");
		this.groups.removeMember(group, user.account().id(), "test");
		assertThat(this.groups.rolesOf(user.account().id())).isEmpty();
		assertThat(audits("group.member_removed", user.account().id().toString())).isEqualTo(1);
	}

	@Test
	void seedWhenMemberIsNamedByUsernameOrUnverifiedEmailThenNotAdded() {
		TestUserAccounts.Created byUsername = newUser();
		UserAccount unverified = this.accounts.create("unverified-" + UUID.randomUUID().toString().substring(0, 8),
				"unverified-" + UUID.randomUUID() + "@example.com", false, null, "a-long-test-password-42");
		String group = "seeded-" + UUID.randomUUID().toString().substring(0, 8);

		seed(group, List.of("ADMIN"), List.of(byUsername.username(), unverified.email()));

		assertThat(this.groups.groupsOf(byUsername.account().id())).doesNotContain(group);
		assertThat(this.groups.groupsOf(unverified.id())).doesNotContain(group);
	}

	@Test
	void seedWhenMemberEmailWasOnlyVerifiedByAProviderThenNotAddedUntilWeVerifyIt() {
		// What a first sign-in with Google or GitHub creates: an address the provider vouched for, no password.
		String email = "admin-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
		UserAccount federated = this.accounts.createFederated("first-arrival-" + UUID.randomUUID().toString()
			.substring(0, 8), email, "First Arrival");
		assertThat(federated.emailVerified()).isTrue();
		String group = "seeded-" + UUID.randomUUID().toString().substring(0, 8);

		seed(group, List.of("ADMIN"), List.of(email));

		assertThat(this.groups.groupsOf(federated.id())).doesNotContain(group);
		assertThat(this.groups.rolesOf(federated.id())).doesNotContain("ADMIN");

		// Once the mailbox answered a link of ours (a password reset), the address counts.
		this.accounts.markEmailVerifiedLocally(federated.id());
		seed(group, List.of("ADMIN"), List.of(email));

		assertThat(this.groups.groupsOf(federated.id())).containsExactly(group);
	}

	private void seed(String group, List<String> roles, List<String> members) {
		UserGroupsProperties properties = new UserGroupsProperties(
				Map.of(group, new UserGroupsProperties.Group(roles, members)));
		new UserGroupsSeeder(properties, this.groups, this.accounts).run(null);
	}

	private OidcTestClient clientWithScopes() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient().scope("roles").scope("groups"));
		return new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
	}

	private static OIDCTokens signIn(OidcTestClient rp, TestUserAccounts.Created user, String scope) {
		OidcTestClient.Authorized authorized = rp.authorize(new Browser(), TestRegisteredClients.REDIRECT_URI, scope,
				user);
		return OidcTestClient.success(rp.exchange(authorized.code(), authorized.request())).getOIDCTokens();
	}

	private static UserInfo userInfo(AccessToken token) throws Exception {
		UserInfoResponse response = UserInfoResponse
			.parse(new UserInfoRequest(URI.create(ISSUER + "/userinfo"), (BearerAccessToken) token).toHTTPRequest()
				.send());
		assertThat(response.indicatesSuccess()).as("userinfo answer").isTrue();
		return response.toSuccessResponse().getUserInfo();
	}

	private int audits(String type, String principal) {
		Integer count = this.jdbc.queryForObject("SELECT count(*) FROM audit_event WHERE type = ? AND principal = ?",
				Integer.class, type, principal);
		return (count != null) ? count : 0;
	}

}
