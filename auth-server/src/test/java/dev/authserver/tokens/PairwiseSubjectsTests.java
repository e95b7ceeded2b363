package dev.authserver.tokens;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PairwiseSubjectsTests {

	private final PairwiseSubjects subjects = new PairwiseSubjects(key((byte) 1));

	@Test
	void subjectWhenSameSectorThenSameSubject() {
		assertThat(this.subjects.subject("rp.example", "account-1"))
			.isEqualTo(new PairwiseSubjects(key((byte) 1)).subject("rp.example", "account-1"))
			.matches("[A-Za-z0-9_-]{43}")
			.isNotEqualTo("account-1");
	}

	@Test
	void subjectWhenOtherSectorAccountOrKeyThenOtherSubject() {
		String subject = this.subjects.subject("rp.example", "account-1");
		assertThat(this.subjects.subject("other.example", "account-1")).isNotEqualTo(subject);
		assertThat(this.subjects.subject("rp.example", "account-2")).isNotEqualTo(subject);
		assertThat(new PairwiseSubjects(key((byte) 2)).subject("rp.example", "account-1")).isNotEqualTo(subject);
	}

	@Test
	void constructorWhenKeyIsShortThenRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new PairwiseSubjects(new byte[16]));
	}

	private static byte[] key(byte value) {
		byte[] key = new byte[32];
		Arrays.fill(key, value);
		return key;
	}

}
