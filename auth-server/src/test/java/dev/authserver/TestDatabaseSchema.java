package dev.authserver;

import java.util.Locale;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * A PostgreSQL schema of its own in the test database, for tests whose changes (a key rotation, another signing
 * algorithm) other test classes must not see. The {@code authserver} role owns the test database, so it may create
 * schemas there: no superuser and no extra database needed, on a laptop or in CI. Dropped on close.
 */
public final class TestDatabaseSchema implements AutoCloseable {

	private static final String URL = TestDatabase.url();

	private static final String USERNAME = TestDatabase.username();

	private static final String PASSWORD = TestDatabase.password();

	private final String name;

	private final SingleConnectionDataSource dataSource;

	private final JdbcTemplate jdbc;

	private TestDatabaseSchema(String name) {
		this.name = name;
		onDatabase("CREATE SCHEMA " + name);
		this.dataSource = new SingleConnectionDataSource(url(), USERNAME, PASSWORD, true);
		this.jdbc = new JdbcTemplate(this.dataSource);
	}

	public static TestDatabaseSchema create(String prefix) {
		String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		return new TestDatabaseSchema((prefix + "_" + suffix).toLowerCase(Locale.ROOT));
	}

	/** A JDBC URL whose connections work in this schema only. */
	public String url() {
		return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + this.name;
	}

	/** Command-line arguments that point an instance of the server at this schema. */
	public String[] datasourceArguments() {
		return new String[] { "--spring.datasource.url=" + url(), "--spring.datasource.username=" + USERNAME,
				"--spring.datasource.password=" + PASSWORD };
	}

	/** A JdbcTemplate on this schema's tables, for a test to look at or arrange what the server stores. */
	public JdbcTemplate jdbc() {
		return this.jdbc;
	}

	@Override
	public void close() {
		this.dataSource.destroy();
		onDatabase("DROP SCHEMA " + this.name + " CASCADE");
	}

	private static void onDatabase(String sql) {
		SingleConnectionDataSource dataSource = new SingleConnectionDataSource(URL, USERNAME, PASSWORD, true);
		try {
			new JdbcTemplate(dataSource).execute(sql);
		}
		finally {
			dataSource.destroy();
		}
	}

}
