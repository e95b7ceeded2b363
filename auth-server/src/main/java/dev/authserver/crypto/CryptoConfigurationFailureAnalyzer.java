package dev.authserver.crypto;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A {@link org.springframework.boot.diagnostics.FailureAnalyzer} that explains a start-up refused for want of a
 * usable master password, instead of a stack trace.
 */
class CryptoConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<CryptoConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, CryptoConfigurationException cause) {
		return new FailureAnalysis(cause.getMessage(), """
				Set the master password in the environment, e.g. AUTHSERVER_MASTER_PASSWORD=$(openssl rand -base64 32), \
				and keep it safe: the secrets stored in the database cannot be read without it. To rotate it, see \
				"Master password" in the README (AUTHSERVER_MASTER_PASSWORD_VERSION, AUTHSERVER_PREVIOUS_MASTER_PASSWORD \
				and the --authserver.crypto.reencrypt command). Only the dev profile generates one by itself.""",
				cause);
	}

}
