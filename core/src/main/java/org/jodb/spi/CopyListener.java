package org.jodb.spi;

/**
 * Hears how far a {@link StorageCopy} got, after each transaction it checked, copied or verified: what a
 * command shows as a progress bar. Called on the copying thread; it should return quickly, and a failure it
 * throws stops the copy (what was copied stays, and a later copy continues from there).
 */
@FunctionalInterface
public interface CopyListener {

    /** Hears nothing. */
    CopyListener NONE = progress -> { };

    /** One more transaction was handled; {@code progress} says which and how many so far in its phase. */
    void progress(CopyProgress progress);
}
