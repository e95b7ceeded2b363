package dev.authserver.crypto;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Re-encrypts every {@link EncryptedColumn} under the current master password version, in batches, one transaction
 * per batch. Values already under the current version are left alone, so it can run again after a failure.
 */
@Component
class Reencryption {

	static final int BATCH_SIZE = 100;

	private static final Log logger = LogFactory.getLog(Reencryption.class);

	private final List<EncryptedColumn> columns;

	private final SecretCipher cipher;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	Reencryption(List<EncryptedColumn> columns, SecretCipher cipher, JdbcTemplate jdbc,
			TransactionTemplate transactions) {
		this.columns = columns;
		this.cipher = cipher;
		this.jdbc = jdbc;
		this.transactions = transactions;
	}

	/** Re-encrypts every column; returns what was done to each. */
	List<Result> reencryptAll() {
		List<Result> results = new ArrayList<>();
		for (EncryptedColumn column : this.columns) {
			Result result = reencrypt(column);
			logger.info("Re-encryption of " + column + " under master password version "
					+ this.cipher.currentVersion() + ": " + result.reencrypted() + " re-encrypted, "
					+ result.alreadyCurrent() + " already current, " + result.notEncrypted()
					+ " not ciphertexts (left alone)");
			results.add(result);
		}
		return results;
	}

	Result reencrypt(EncryptedColumn column) {
		String select = "SELECT " + column.idColumn() + ", " + column.valueColumn() + " FROM " + column.table()
				+ " WHERE " + column.idColumn() + " > ? AND " + column.valueColumn() + " IS NOT NULL ORDER BY "
				+ column.idColumn() + " LIMIT " + BATCH_SIZE;
		// Compare-and-set: a value changed meanwhile (a rotated secret, another run) is not overwritten.
		String update = "UPDATE " + column.table() + " SET " + column.valueColumn() + " = ?"
				+ ((column.versionColumn() != null) ? ", " + column.versionColumn() + " = ?" : "") + " WHERE "
				+ column.idColumn() + " = ? AND " + column.valueColumn() + " = ?";
		Counts counts = new Counts();
		String lastId = "";
		while (true) {
			String from = lastId;
			String next = this.transactions.execute((status) -> {
				List<Row> rows = this.jdbc.query(select, (rs, i) -> new Row(rs.getString(1), rs.getString(2)), from);
				for (Row row : rows) {
					reencrypt(column, update, row, counts);
				}
				return (rows.size() < BATCH_SIZE) ? null : rows.get(rows.size() - 1).id();
			});
			if (next == null) {
				return new Result(column, counts.reencrypted, counts.alreadyCurrent, counts.notEncrypted);
			}
			lastId = next;
		}
	}

	private void reencrypt(EncryptedColumn column, String update, Row row, Counts counts) {
		if (!SecretCipher.isCiphertext(row.value())) {
			counts.notEncrypted++;
			return;
		}
		if (this.cipher.isCurrent(row.value())) {
			counts.alreadyCurrent++;
			return;
		}
		String plaintext;
		try {
			plaintext = this.cipher.decrypt(row.value());
		}
		catch (CiphertextException ex) {
			// Stop: the batch rolls back, earlier batches stay done, and the command can run again once fixed.
			throw new IllegalStateException(
					"Cannot re-encrypt " + column + " of " + column.idColumn() + " '" + row.id() + "': " + ex.getMessage(),
					ex);
		}
		String ciphertext = this.cipher.encrypt(plaintext);
		int updated = (column.versionColumn() != null)
				? this.jdbc.update(update, ciphertext, this.cipher.currentVersion(), row.id(), row.value())
				: this.jdbc.update(update, ciphertext, row.id(), row.value());
		if (updated == 1) {
			counts.reencrypted++;
		}
	}

	/** What re-encrypting one column did. */
	record Result(EncryptedColumn column, int reencrypted, int alreadyCurrent, int notEncrypted) {
	}

	private record Row(String id, String value) {
	}

	private static final class Counts {

		int reencrypted;

		int alreadyCurrent;

		int notEncrypted;

	}

}
