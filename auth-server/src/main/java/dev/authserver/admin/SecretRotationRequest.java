package dev.authserver.admin;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * How long the previous secret keeps working after a rotation: 0 (the default) ends it at once.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
record SecretRotationRequest(@JsonProperty("grace_period_seconds") @Nullable Long gracePeriodSeconds) {
}
