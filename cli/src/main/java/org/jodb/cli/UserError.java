package org.jodb.cli;

/**
 * A problem the user can fix (a wrong path, an unknown oid, a bad time, a store another process holds): the
 * command prints the message, which says the problem and the remedy, and exits with {@link Jodb#FAILED}.
 */
final class UserError extends RuntimeException {
    UserError(String message) {
        super(message, null, false, false);
    }
}
