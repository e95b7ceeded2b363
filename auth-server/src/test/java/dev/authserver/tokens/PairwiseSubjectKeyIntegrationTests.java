package dev.authserver.tokens;

import java.time.Clock;

import dev.authserver.IntegrationTestSupport;
import dev.authserver.crypto.SecretCipher;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

class PairwiseSubjectKeyIntegrationTests extends IntegrationTestSupport {

	@Autowired
	private PairwiseSubjectKey key;

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private SecretCipher cipher;

	@Autowired
	private Clock clock;

	@Test
	void whenAnotherInstanceStartsThenItDerivesTheSameSubjects() {
		String subject = this.key.subjects().subject("rp.example", "account-1");
		// A restart, or another instance on the same database
		PairwiseSubjectKey restarted = new PairwiseSubjectKey(this.jdbc, this.cipher, this.clock);
		assertThat(restarted.subjects().subject("rp.example", "account-1")).isEqualTo(subject);
		assertThat(restarted.subjects().subject("other.example", "account-1")).isNotEqualTo(subject);
	}

	@Test
	void whenTheKeyIsStoredThenItIsEncryptedAndThereIsOne() {
		this.key.subjects();
		assertThat(this.jdbc.queryForList("SELECT key_value FROM pairwise_subject_key", String.class))
			.singleElement()
			.satisfies((value) -> assertThat(value).matches("v[0-9]+:.+"));
	}

}
