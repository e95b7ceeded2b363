package dev.authserver.jobs;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.util.Assert;

/**
 * Runs a scheduled job on one node at a time when several instances share the database.
 * <p>
 * A node takes a job's lease with one conditional {@code UPDATE} (the row is free or its lease has run out), so no
 * vendor-specific locking is needed and a node that dies mid-job frees the job when its lease expires. The lease
 * should be longer than the job can take; the job should still be safe to run twice.
 */
@Component
public class ClusterJobLock {

	private static final Log logger = LogFactory.getLog(ClusterJobLock.class);

	private final JdbcTemplate jdbc;

	private final Clock clock;

	private final String nodeId = UUID.randomUUID().toString();

	ClusterJobLock(JdbcTemplate jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * Runs {@code job} if this node can take the lease named {@code jobName} for {@code lease}.
	 * @return whether this node ran the job
	 */
	public boolean runExclusively(String jobName, Duration lease, Runnable job) {
		Assert.hasText(jobName, "jobName cannot be empty");
		Instant now = this.clock.instant();
		if (!tryAcquire(jobName, now, now.plus(lease))) {
			logger.debug("Job " + jobName + " is running on another node");
			return false;
		}
		try {
			job.run();
			return true;
		}
		finally {
			release(jobName);
		}
	}

	private boolean tryAcquire(String jobName, Instant now, Instant until) {
		try {
			this.jdbc.update("INSERT INTO job_lock (name, locked_until, locked_by) VALUES (?, ?, ?)", jobName,
					Timestamp.from(Instant.EPOCH), "");
		}
		catch (DuplicateKeyException ex) {
			// The row exists already: the usual case.
		}
		return this.jdbc.update("UPDATE job_lock SET locked_until = ?, locked_by = ? WHERE name = ? AND locked_until < ?",
				Timestamp.from(until), this.nodeId, jobName, Timestamp.from(now)) == 1;
	}

	private void release(String jobName) {
		this.jdbc.update("UPDATE job_lock SET locked_until = ? WHERE name = ? AND locked_by = ?",
				Timestamp.from(Instant.EPOCH), jobName, this.nodeId);
	}

}
