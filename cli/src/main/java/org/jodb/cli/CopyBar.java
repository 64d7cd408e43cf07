package org.jodb.cli;

import org.jodb.spi.CopyListener;
import org.jodb.spi.CopyProgress;

/**
 * Shows a {@code StorageCopy}'s progress as a {@link Progress} bar, one bar for each phase (checking the
 * earlier copy, copying, verifying). How many transactions a phase handles is not known ahead, only the tid it
 * ends at; tids grow with commit time, so the share of the tid range covered since the phase's first
 * transaction measures how far it got.
 */
final class CopyBar implements CopyListener {
    private final Progress progress;
    private CopyProgress.Phase phase;
    private long firstTid;

    CopyBar(Progress progress) {
        this.progress = progress;
    }

    @Override
    public void progress(CopyProgress p) {
        if (p.phase() != phase) {
            progress.done();
            phase = p.phase();
            firstTid = p.tid();
            progress.begin(label(phase), 1, "transactions");
        }
        progress.at(fraction(p.tid(), firstTid, p.lastTid()), p.transactions());
    }

    /** How far {@code tid} is from {@code first} to {@code last}, from 0 to 1. */
    static double fraction(long tid, long first, long last) {
        if (last <= first) {
            return 1.0;
        }
        return Math.min(1.0, Math.max(0.0, (double) (tid - first) / (double) (last - first)));
    }

    /** Clears the bar when the copy ended. */
    void done() {
        progress.done();
    }

    private static String label(CopyProgress.Phase phase) {
        return switch (phase) {
            case CHECK -> "checking the earlier copy";
            case COPY -> "copying";
            case VERIFY -> "verifying the copy";
        };
    }
}
