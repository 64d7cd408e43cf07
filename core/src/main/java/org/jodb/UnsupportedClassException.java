package org.jodb;

/**
 * jodb cannot store or track a class: it cannot be proxied (a final class, a final public method, a
 * non-private instance field, no constructor for the arguments given) or a value inside it cannot be
 * serialized. Nothing was changed; the database and the transaction stay usable. Remedy: the message
 * names the class (and the field, when a field is at fault) and what to change.
 *
 * <p>Immutable and thread-safe, like every jodb exception: it may be handed to another thread.
 */
public class UnsupportedClassException extends RuntimeException {
    /** With {@code message}, which names the problem and the remedy. */
    public UnsupportedClassException(String message) {
        super(message);
    }

    /** With {@code message}, which names the problem and the remedy, and the {@code cause} it wraps. */
    public UnsupportedClassException(String message, Throwable cause) {
        super(message, cause);
    }
}
