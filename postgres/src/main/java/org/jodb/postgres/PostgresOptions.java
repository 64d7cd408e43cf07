package org.jodb.postgres;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link PostgresStorage} uses its database; immutable, each {@code with} method returns a changed copy.
 *
 * <ul>
 *   <li>{@link #schema()}: the PostgreSQL schema that holds jodb's tables ({@value #DEFAULT_SCHEMA} unless
 *       given); a plain identifier (a letter or underscore, then letters, digits or underscores, at most 58, so
 *       that its notification channel {@code jodb_<schema>} fits PostgreSQL's 63), so that several databases of jodb can share one PostgreSQL database.</li>
 *   <li>{@link #poolSize()}: how many connections a storage opened by URL keeps for loads and commits (a
 *       storage given a {@code DataSource} takes them from it instead); one more serves notifications.</li>
 *   <li>{@link #oidBlock()}: how many oids one round trip reserves for this process.</li>
 *   <li>{@link #settleTimeout()}: how long a commit whose connection was lost keeps trying to learn whether it
 *       committed before it gives up and says the outcome is unknown.</li>
 *   <li>{@link #pollsAskTheServer()}: when false (the default), a view's poll with no notification of a newer
 *       commit answers without a round trip; when true, every poll asks the server (each transaction start
 *       then sees every commit that returned before it, in any process, at the cost of one query).</li>
 *   <li>{@link #preparedTransactions()}: whether vote ends with {@code PREPARE TRANSACTION} when the server
 *       allows it ({@code max_prepared_transactions} above 0); true unless turned off.</li>
 * </ul>
 */
public final class PostgresOptions {
    /** The schema used unless another is given. */
    public static final String DEFAULT_SCHEMA = "jodb";

    private final String schema;
    private final int poolSize;
    private final int oidBlock;
    private final Duration settleTimeout;
    private final boolean pollsAskTheServer;
    private final boolean preparedTransactions;
    private final long recordCacheBytes;

    private PostgresOptions(String schema, int poolSize, int oidBlock, Duration settleTimeout,
                            boolean pollsAskTheServer, boolean preparedTransactions, long recordCacheBytes) {
        this.schema = schema;
        this.poolSize = poolSize;
        this.oidBlock = oidBlock;
        this.settleTimeout = settleTimeout;
        this.pollsAskTheServer = pollsAskTheServer;
        this.preparedTransactions = preparedTransactions;
        this.recordCacheBytes = recordCacheBytes;
    }

    /**
     * Schema {@value #DEFAULT_SCHEMA}, 8 pooled connections, oids by 100, 60 s to settle a commit, 32 MiB of
     * cached records.
     */
    public static PostgresOptions defaults() {
        return new PostgresOptions(DEFAULT_SCHEMA, 8, 100, Duration.ofSeconds(60), false, true, 32L << 20);
    }

    /**
     * @throws IllegalArgumentException when {@code schema} is not a plain identifier
     */
    public PostgresOptions withSchema(String schema) {
        return new PostgresOptions(SchemaName.check(schema), poolSize, oidBlock, settleTimeout, pollsAskTheServer,
                preparedTransactions, recordCacheBytes);
    }

    public PostgresOptions withPoolSize(int poolSize) {
        if (poolSize < 1) {
            throw new IllegalArgumentException("a pool holds at least one connection: " + poolSize);
        }
        return new PostgresOptions(schema, poolSize, oidBlock, settleTimeout, pollsAskTheServer, preparedTransactions,
                recordCacheBytes);
    }

    public PostgresOptions withOidBlock(int oidBlock) {
        if (oidBlock < 1) {
            throw new IllegalArgumentException("an oid block holds at least one oid: " + oidBlock);
        }
        return new PostgresOptions(schema, poolSize, oidBlock, settleTimeout, pollsAskTheServer, preparedTransactions,
                recordCacheBytes);
    }

    public PostgresOptions withSettleTimeout(Duration settleTimeout) {
        Objects.requireNonNull(settleTimeout, "settleTimeout");
        if (settleTimeout.isNegative()) {
            throw new IllegalArgumentException("a settle timeout is not negative: " + settleTimeout);
        }
        return new PostgresOptions(schema, poolSize, oidBlock, settleTimeout, pollsAskTheServer, preparedTransactions,
                recordCacheBytes);
    }

    public PostgresOptions withPollsAskingTheServer(boolean ask) {
        return new PostgresOptions(schema, poolSize, oidBlock, settleTimeout, ask, preparedTransactions, recordCacheBytes);
    }

    public PostgresOptions withPreparedTransactions(boolean prepared) {
        return new PostgresOptions(schema, poolSize, oidBlock, settleTimeout, pollsAskTheServer, prepared, recordCacheBytes);
    }

    /**
     * Bytes of committed records the storage keeps for its views (with an estimate of each record's overhead;
     * 0 for none): records this process loaded or committed, and those other processes' notifications carry
     * (commits of at most 100 records and 2,500 bytes). A load finds there the revision its snapshot would read
     * from the server, without a round trip. The records not read lately go first beyond it.
     *
     * @throws IllegalArgumentException when negative
     */
    public PostgresOptions withRecordCacheBytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("a record cache holds no negative number of bytes: " + bytes
                    + " (0 turns it off)");
        }
        return new PostgresOptions(schema, poolSize, oidBlock, settleTimeout, pollsAskTheServer, preparedTransactions,
                bytes);
    }

    public String schema() {
        return schema;
    }

    public int poolSize() {
        return poolSize;
    }

    public int oidBlock() {
        return oidBlock;
    }

    public Duration settleTimeout() {
        return settleTimeout;
    }

    public boolean pollsAskTheServer() {
        return pollsAskTheServer;
    }

    public boolean preparedTransactions() {
        return preparedTransactions;
    }

    public long recordCacheBytes() {
        return recordCacheBytes;
    }
}
