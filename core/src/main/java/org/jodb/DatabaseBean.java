package org.jodb;

/** The {@link DatabaseMXBean} of one database: each attribute read from a fresh {@link Database#statistics()}. */
final class DatabaseBean implements DatabaseMXBean {
    private final Database database;

    DatabaseBean(Database database) {
        this.database = database;
    }

    @Override
    public String getStorageName() {
        return database.storage().name();
    }

    @Override
    public long getCommits() {
        return database.statistics().commits();
    }

    @Override
    public long getConflicts() {
        return database.statistics().conflicts();
    }

    @Override
    public long getRetries() {
        return database.statistics().retries();
    }

    @Override
    public long getGiveUps() {
        return database.statistics().giveUps();
    }

    @Override
    public long getRecordsLoaded() {
        return database.statistics().recordsLoaded();
    }

    @Override
    public long getRecordsStored() {
        return database.statistics().recordsStored();
    }

    @Override
    public long getCacheHits() {
        return database.statistics().cacheHits();
    }

    @Override
    public double getCacheHitRate() {
        return database.statistics().cacheHitRate();
    }

    @Override
    public long getCachedObjects() {
        return database.statistics().cachedObjects();
    }

    @Override
    public int getOpenConnections() {
        return database.statistics().openConnections();
    }

    @Override
    public long getPacks() {
        return database.statistics().packs();
    }

    @Override
    public int getPacksRunning() {
        return database.statistics().packsRunning();
    }
}
