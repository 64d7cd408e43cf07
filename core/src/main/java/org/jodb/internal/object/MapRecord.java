package org.jodb.internal.object;

import java.util.LinkedHashMap;

/**
 * Implemented by {@code PersistentMap}: the two forms of its record, for the iterator of its chunked form
 * ({@link MapLayout}), which finds the map's live layout through it. Internal to jodb (the names start with
 * {@code $jodb}, like {@link PersistentObject}'s); application code never calls these methods.
 */
public interface MapRecord {

    /** The entries of the single-record form, or null in the chunked form; as they are: not loaded, not touched. */
    LinkedHashMap<Object, Object> $jodbEntries();

    /** The layout of the chunked form, or null in the single-record form; as it is: not loaded, not touched. */
    MapLayout $jodbLayout();
}
