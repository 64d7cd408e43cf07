package org.jodb.internal.serialization;

import org.jodb.UnsupportedClassException;

/**
 * A record names a class that no class loader can find. Remedy: put the class on the class path (or set
 * the thread's context class loader to the loader that has it), or map the old name to the new one with
 * the database's class renames when the class was renamed or moved.
 *
 * <p>Immutable and thread-safe.
 */
class UnknownClassException extends UnsupportedClassException {
    UnknownClassException(String storedName, String renamedTo, Throwable cause) {
        super("class " + storedName + (renamedTo == null ? "" : " (renamed to " + renamedTo + ")")
                + " of a stored record was not found by the thread's context class loader nor by jodb's;"
                + " put it on the class path, or map the stored name to the class's new name with"
                + " Database.Options.renameClass", cause);
    }
}
