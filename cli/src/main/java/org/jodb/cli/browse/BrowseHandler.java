package org.jodb.cli.browse;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * Answers every request: reads the store's log afresh (nothing of the store is kept between requests), picks
 * the page's snapshot, renders the page, and closes the log again. Only GET and HEAD are served: the browser
 * changes nothing.
 *
 * <p>The answer forbids scripts outright (its Content-Security-Policy), on top of escaping every value: a
 * stored string that holds markup can neither run nor load anything. Requests whose Host header is not the
 * loopback address are refused, so that a web page the user visits cannot read the store through a DNS name
 * it points at 127.0.0.1.
 */
final class BrowseHandler extends Handler.Abstract {
    private static final String POLICY = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'";

    private final Supplier<StoreLog> reader;

    /** @param reader reads the store's log as it is at the moment of the call */
    BrowseHandler(Supplier<StoreLog> reader) {
        this.reader = reader;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
            return answer(response, callback, 405, Page.bare("Not allowed", "<p>The browser is read-only: it answers"
                    + " GET only.</p>"));
        }
        String host = request.getHttpURI().getHost();
        if (host == null || !(host.equals("127.0.0.1") || host.equals("localhost"))) {
            return answer(response, callback, 403, Page.bare("Forbidden", "<p>Open this view at http://127.0.0.1:"
                    + Request.getLocalPort(request) + "/ on the machine that runs it.</p>"));
        }
        PageRequest page = PageRequest.of(request.getHttpURI().getPath(), params(request));
        if (page.page().equals("favicon.ico")) {
            return answer(response, callback, 404, "");
        }
        StoreLog log;
        try {
            log = read();
        } catch (RuntimeException e) {
            return answer(response, callback, 503, Page.bare("Store not readable", "<h1>The store cannot be read</h1>"
                    + "<p id=\"error\">" + Html.text(String.valueOf(e.getMessage())) + "</p>"));
        }
        Snapshot snapshot = null;
        try {
            snapshot = new Snapshot(log, page.at());
            return answer(response, callback, 200, render(snapshot, page));
        } catch (PageError e) {
            return answer(response, callback, e.status, Page.error(e.title, e.getMessage(), snapshot));
        } catch (RuntimeException e) {
            return answer(response, callback, 500, Page.error("Failure", e + " (an unexpected failure of jodb browse;"
                    + " please report it with the address of this page)", snapshot));
        } finally {
            log.close();
        }
    }

    /**
     * Reads the log; reads it once more when the first read met damage, since a pack of the process that has
     * the store open may have been swapping its segments just then (the swap is brief). Damage that stays is
     * shown on the page.
     */
    private StoreLog read() {
        StoreLog log = reader.get();
        if (log.problems().isEmpty()) {
            return log;
        }
        log.close();
        return reader.get();
    }

    private static String render(Snapshot s, PageRequest page) {
        return switch (page.page()) {
            case "" -> ObjectPage.render(s, 0);
            case "object" -> ObjectPage.render(s, page.oidArgument());
            case "history" -> HistoryPage.render(s, page.oidArgument());
            case "diff" -> DiffPage.render(s, page.oidArgument(), page.tidParam("from"), page.tidParam("to"));
            case "log" -> LogPage.render(s, page.pageNumber());
            case "transaction" -> TransactionPage.render(s, page.tidArgument());
            case "search" -> SearchPage.render(s, page.param("q"));
            default -> throw PageError.notFound("no page " + page.page() + " here: the pages are /, /object/OID,"
                    + " /history/OID, /log, /transaction/TID and /search?q=TEXT.");
        };
    }

    private static Map<String, String> params(Request request) {
        Map<String, String> params = new HashMap<>();
        Fields fields = Request.extractQueryParameters(request);
        for (Fields.Field f : fields) {
            List<String> values = f.getValues();
            params.put(f.getName(), values.isEmpty() ? "" : values.get(0));
        }
        return params;
    }

    private static boolean answer(Response response, Callback callback, int status, String html) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
        response.getHeaders().put("Content-Security-Policy", POLICY);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Referrer-Policy", "no-referrer");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        Content.Sink.write(response, true, html, callback);
        return true;
    }
}
