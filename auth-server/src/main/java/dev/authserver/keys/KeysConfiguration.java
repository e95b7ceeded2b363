package dev.authserver.keys;

import java.time.Clock;

import dev.authserver.crypto.EncryptedColumn;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The signing keys: kept in the database and served to the token and JWK set endpoints from memory.
 */
@Configuration(proxyBeanMethods = false)
class KeysConfiguration {

	@Bean
	PersistentJwkSource jwkSource(SigningKeyRepository keys, Clock clock, KeysProperties properties) {
		return new PersistentJwkSource(keys, clock, properties.refreshInterval());
	}

	/** For the re-encryption command: the private keys, with the master password version in key_version. */
	@Bean
	EncryptedColumn signingKeyPrivateKeyColumn() {
		return new EncryptedColumn("signing_key", "kid", "private_key", "key_version");
	}

}
