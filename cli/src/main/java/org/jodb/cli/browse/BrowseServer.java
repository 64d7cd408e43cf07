package org.jodb.cli.browse;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.Supplier;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The browser's web server: Jetty on the loopback address only, answering with {@link BrowseHandler}. Each
 * request reads the store's log and lets it go; what the reader itself keeps open (a storage opened by URL) is
 * its owner's to close, after this server.
 */
public final class BrowseServer implements AutoCloseable {
    private static final String HOST = "127.0.0.1";
    private static final int MAX_THREADS = 8;

    private final Server server;
    private final int port;

    private BrowseServer(Server server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts serving {@code store}.
     *
     * @param port   the port, or 0 for a free one
     * @param reader reads the store's log as it is at the moment of the call
     * @throws IllegalStateException saying the port is taken and what to do, or why the server did not start
     */
    public static BrowseServer start(Path store, int port, Function<Path, StoreLog> reader) {
        return start(port, () -> reader.apply(store));
    }

    /**
     * Starts serving the log {@code reader} reads.
     *
     * @param port   the port, or 0 for a free one
     * @param reader reads the store's log as it is at the moment of the call; called from several threads at once
     * @throws IllegalStateException saying the port is taken and what to do, or why the server did not start
     */
    public static BrowseServer start(int port, Supplier<StoreLog> reader) {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
        threads.setName("jodb-browse");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost(HOST);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new BrowseHandler(reader));
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            if (e instanceof BindException || e.getCause() instanceof BindException || e instanceof IOException) {
                throw new IllegalStateException("port " + port + " on " + HOST + " is in use (" + e.getMessage()
                        + "). Stop what serves there, or give another port: --port 8081, or --port 0 for a free one.", e);
            }
            throw new IllegalStateException("the web server did not start: " + e, e);
        }
        return new BrowseServer(server, connector.getLocalPort());
    }

    public int port() {
        return port;
    }

    /** The address the browser serves at, ending in a slash. */
    public String url() {
        return "http://" + HOST + ":" + port + "/";
    }

    /** Waits until the server stops; interrupting the waiting thread stops it. */
    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() {
        stopQuietly(server);
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping a server that failed to start, or at exit: nothing more to release
        }
    }
}
