package org.jodb.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link Synchronizer#attemptFailed}: what run and attempts() tell of each failed attempt. */
class AttemptFailedTest {
    private final TransactionManager tm = new TransactionManager(false);
    private final List<String> told = new ArrayList<>();
    private final Synchronizer listener = new Synchronizer() {
        @Override
        public void attemptFailed(Transaction txn, Throwable failure, boolean retryable, boolean retrying) {
            assertTrue(tm.current().isEmpty(), "told after the abort");
            told.add(failure.getMessage() + (retryable ? " retryable" : " final") + (retrying ? ", retrying" : ""));
        }
    };

    @BeforeEach
    void register() {
        tm.setRetryBackoff(Duration.ZERO, Duration.ZERO);
        tm.registerSynchronizer(listener);
    }

    @Test
    void aRetriedConflictAndThenSuccessIsOneRetry() {
        int[] calls = {0};
        assertEquals("done", tm.run(3, () -> {
            if (++calls[0] == 1) {
                throw new TransientException("conflict");
            }
            return "done";
        }));
        assertEquals(List.of("conflict retryable, retrying"), told);
    }

    @Test
    void theLastAttemptGivesUp() {
        TransientException thrown = assertThrows(TransientException.class, () -> tm.run(2, () -> {
            throw new TransientException("conflict");
        }));
        assertEquals("conflict", thrown.getMessage());
        assertEquals(List.of("conflict retryable, retrying", "conflict retryable"), told);
    }

    @Test
    void aFailureThatIsNotRetryableIsToldOnce() {
        assertThrows(IllegalStateException.class, () -> tm.run(5, () -> {
            throw new IllegalStateException("bug");
        }));
        assertEquals(List.of("bug final"), told);
    }

    @Test
    void theAttemptsLoopTellsTheSame() {
        int tries = 0;
        for (Attempt attempt : tm.attempts(2)) {
            try (attempt) {
                tries++;
                throw new TransientException("conflict " + tries);
            } catch (RuntimeException e) {
                if (attempt.isLast()) {
                    assertSame(TransientException.class, assertThrows(TransientException.class,
                            () -> attempt.retryOrThrow(e)).getClass());
                } else {
                    attempt.retryOrThrow(e);
                }
            }
        }
        assertEquals(List.of("conflict 1 retryable, retrying", "conflict 2 retryable"), told);
    }

    @Test
    void aSynchronizerThatFailsHereDoesNotChangeTheOutcome() {
        tm.registerSynchronizer(new Synchronizer() {
            @Override
            public void attemptFailed(Transaction txn, Throwable failure, boolean retryable, boolean retrying) {
                throw new IllegalStateException("metrics broken");
            }
        });
        int[] calls = {0};
        tm.run(2, () -> {
            if (++calls[0] == 1) {
                throw new TransientException("conflict");
            }
        });
        assertEquals(2, calls[0]);
    }
}
