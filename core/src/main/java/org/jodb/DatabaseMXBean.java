package org.jodb;

/**
 * A {@link Database}'s statistics as a JMX MXBean, registered by {@link Database#registerMBean()}: what
 * {@link DatabaseStatistics} holds, one attribute each, read at the moment a console or an agent asks.
 */
public interface DatabaseMXBean {

    /** The storage's name: the directory of a file store, the URL (without its password) of a server. */
    String getStorageName();

    long getCommits();

    long getConflicts();

    long getRetries();

    long getGiveUps();

    long getRecordsLoaded();

    long getRecordsStored();

    long getCacheHits();

    double getCacheHitRate();

    long getCachedObjects();

    int getOpenConnections();

    long getPacks();

    int getPacksRunning();
}
