package org.jodb.internal.object;

/**
 * A persistent object that is a piece of one of jodb's containers (a chunk of a large {@code PersistentMap},
 * a bucket, branch or size counter of a {@code PersistentTreeMap}): messages about it, such as a conflict's,
 * name the container the application knows instead of the piece's internal class.
 */
public interface ContainerPart {

    /** What a message calls this piece, e.g. {@code "org.jodb.PersistentMap"}. */
    String $jodbContainerName();
}
