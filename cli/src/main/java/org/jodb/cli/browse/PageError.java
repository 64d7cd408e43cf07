package org.jodb.cli.browse;

/** A request the browser cannot answer (a bad oid or tid, an object not in the snapshot): status and message. */
final class PageError extends RuntimeException {
    final int status;
    final String title;

    PageError(int status, String title, String message) {
        super(message, null, false, false);
        this.status = status;
        this.title = title;
    }

    static PageError notFound(String message) {
        return new PageError(404, "Not found", message);
    }

    static PageError badRequest(String message) {
        return new PageError(400, "Bad request", message);
    }
}
