package dev.authserver.demo.web;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The userinfo endpoint's answer as the profile page shows it: claim rows, or a readable error.
 *
 * @param claims the claims returned, as rows; empty on error
 * @param error what went wrong, for people; {@code null} on success
 */
record UserInfoResponse(List<ClaimRow> claims, @Nullable String error) {

	static UserInfoResponse of(Map<String, ? extends @Nullable Object> claims) {
		return new UserInfoResponse(ClaimTable.rows(claims), null);
	}

	static UserInfoResponse failed(String error) {
		return new UserInfoResponse(List.of(), error);
	}

}
