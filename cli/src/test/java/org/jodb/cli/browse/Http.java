package org.jodb.cli.browse;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Plain HTTP requests to a running browser, for the tests that check the HTML itself. */
record Http(int status, String body) {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    static Http get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET().build());
    }

    static Http send(HttpRequest request) {
        try {
            HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
            return new Http(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new AssertionError("request to " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return "status " + status + "\n" + body;
    }
}
