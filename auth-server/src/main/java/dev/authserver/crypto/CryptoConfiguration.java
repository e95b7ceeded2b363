package dev.authserver.crypto;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one cipher, built from the configured master passwords; the server does not start without them.
 */
@Configuration(proxyBeanMethods = false)
class CryptoConfiguration {

	@Bean
	SecretCipher secretCipher(CryptoProperties properties) {
		return properties.createCipher(properties.cacheSize());
	}

}
