package dev.authserver.admin;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The answer to a creation or a secret rotation: the client, and its new secret, shown this once.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ClientSecretResponse(@JsonProperty("client") ClientResponse client,
		@JsonProperty("client_secret") @Nullable String clientSecret,
		@JsonProperty("previous_secret_valid_until") @Nullable Instant previousSecretValidUntil) {
}
