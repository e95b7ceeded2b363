package dev.authserver.crypto;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * A database column whose values are {@link SecretCipher} ciphertexts, declared as a bean by the feature that owns
 * it so that the re-encryption command can bring every value to the current master password version.
 *
 * @param table the table
 * @param idColumn its primary key (a single text column)
 * @param valueColumn the column of ciphertexts; values that are not ciphertexts (null, legacy formats) are left
 * alone
 * @param versionColumn an integer column to set to the master password version of the value, or {@code null}
 */
public record EncryptedColumn(String table, String idColumn, String valueColumn, @Nullable String versionColumn) {

	// The names are written into SQL: our own constants, never input, and checked all the same.
	private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9_]{0,62}");

	public EncryptedColumn {
		Assert.isTrue(IDENTIFIER.matcher(table).matches(), "table must be a plain identifier");
		Assert.isTrue(IDENTIFIER.matcher(idColumn).matches(), "idColumn must be a plain identifier");
		Assert.isTrue(IDENTIFIER.matcher(valueColumn).matches(), "valueColumn must be a plain identifier");
		Assert.isTrue(versionColumn == null || IDENTIFIER.matcher(versionColumn).matches(),
				"versionColumn must be a plain identifier");
	}

	@Override
	public String toString() {
		return this.table + "." + this.valueColumn;
	}

}
