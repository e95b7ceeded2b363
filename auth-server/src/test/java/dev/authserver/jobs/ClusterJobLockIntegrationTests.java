package dev.authserver.jobs;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.authserver.IntegrationTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterJobLockIntegrationTests extends IntegrationTestSupport {

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void runExclusivelyWhenTwoNodesRaceThenOnlyOneRunsTheJob() throws Exception {
		ClusterJobLock nodeA = new ClusterJobLock(this.jdbc, java.time.Clock.systemUTC());
		ClusterJobLock nodeB = new ClusterJobLock(this.jdbc, java.time.Clock.systemUTC());
		String job = "test-" + UUID.randomUUID();
		CountDownLatch inside = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger runs = new AtomicInteger();
		ExecutorService executor = Executors.newSingleThreadExecutor();
		try {
			Future<Boolean> first = executor.submit(() -> nodeA.runExclusively(job, Duration.ofMinutes(1), () -> {
				runs.incrementAndGet();
				inside.countDown();
				await(release);
			}));
			assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

			boolean second = nodeB.runExclusively(job, Duration.ofMinutes(1), runs::incrementAndGet);

			release.countDown();
			assertThat(first.get(10, TimeUnit.SECONDS)).isTrue();
			assertThat(second).isFalse();
			assertThat(runs).hasValue(1);
			// Released: the next run on any node goes ahead.
			assertThat(nodeB.runExclusively(job, Duration.ofMinutes(1), runs::incrementAndGet)).isTrue();
			assertThat(runs).hasValue(2);
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void runExclusivelyWhenAnotherNodesLeaseHasExpiredThenTheJobRuns() {
		String job = "test-" + UUID.randomUUID();
		this.jdbc.update("INSERT INTO job_lock (name, locked_until, locked_by) VALUES (?, ?, ?)", job,
				java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(5)), "dead-node");
		ClusterJobLock node = new ClusterJobLock(this.jdbc, java.time.Clock.systemUTC());

		assertThat(node.runExclusively(job, Duration.ofMinutes(1), () -> {
		})).isTrue();
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
