package org.jodb.doctest;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jdk.jshell.execution.DirectExecutionControl;

/**
 * Runs every snippet of a session on one long-lived thread, in-process.
 *
 * <p>Why: JShell's stock local engine starts a new thread per snippet, so anything a snippet keeps in
 * a {@link ThreadLocal} (jodb's thread transaction manager, above all) would be gone by the next
 * snippet. Here one daemon thread, whose context class loader is the {@link SnippetClassLoader},
 * runs all of them, as Python runs all of a doctest's examples on one thread.
 *
 * <p>A snippet that runs longer than the timeout is interrupted and reported as a
 * {@code java.util.concurrent.TimeoutException}; the session is then {@linkplain #isStuck() stuck}
 * (the thread may still be busy), and the runner skips the rest of the file.
 */
final class SnippetThreadExecutionControl extends DirectExecutionControl {

    private final ExecutorService snippetThread;
    private final SnippetLoaderDelegate delegate;
    private final Duration timeout;
    private volatile Future<?> running;
    private volatile boolean stuck;
    /** False while a snippet runs whose value is not shown: then its {@code toString()} is not called. */
    private volatile boolean renderValues = true;

    SnippetThreadExecutionControl(SnippetLoaderDelegate delegate, Duration timeout, String threadName) {
        super(delegate);
        this.delegate = delegate;
        this.timeout = timeout;
        this.snippetThread = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            thread.setContextClassLoader(delegate.loader());
            return thread;
        });
    }

    boolean isStuck() {
        return stuck;
    }

    /**
     * Whether the values of the next snippets are rendered. JShell renders every value (calling its
     * {@code toString()}), even of a snippet ending in {@code ;} whose value the runner then hides; for
     * a persistent object that would load it, and a failing {@code toString()} would fail the snippet.
     */
    void renderValues(boolean render) {
        renderValues = render;
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        Object value = doitMethod.invoke(null);
        if (!renderValues) {
            return "";
        }
        try {
            return valueString(value);
        } catch (RuntimeException | Error e) {
            // A toString() that throws (a persistent object whose connection is closed, say) is an
            // exception of the snippet: JShell would swallow it and show an empty value.
            throw new InvocationTargetException(e);
        }
    }

    @Override
    public String invoke(String className, String methodName)
            throws RunException, InternalException, EngineTerminationException {
        return onSnippetThread(() -> super.invoke(className, methodName));
    }

    @Override
    public String varValue(String className, String varName)
            throws RunException, EngineTerminationException, InternalException {
        if (!renderValues) {
            return "";
        }
        // Rendering a value calls its toString(), which may load a persistent object: same thread.
        return onSnippetThread(() -> super.varValue(className, varName));
    }

    /**
     * Closes the databases the snippets' variables still hold ({@link Leftovers}), on the snippet
     * thread, before the session ends; nothing when a snippet is still running.
     *
     * @param held receives the paths the variables hold (see {@link Leftovers#paths()})
     * @return what could not be closed
     */
    List<String> closeLeftovers(Set<Path> held) {
        if (stuck) {
            return List.of("an earlier snippet is still running; its databases were left open");
        }
        Future<List<String>> closing = snippetThread.submit(() -> {
            Leftovers leftovers = new Leftovers(delegate.loadedClasses());
            held.addAll(leftovers.paths());
            return leftovers.close();
        });
        try {
            return closing.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            stuck = true;
            closing.cancel(true);
            return List.of("closing the file's open databases took longer than " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of("interrupted while closing the file's open databases");
        } catch (ExecutionException e) {
            return List.of("closing the file's open databases failed: " + e.getCause());
        }
    }

    @Override
    public void stop() {
        Future<?> current = running;
        if (current != null) {
            current.cancel(true);
        }
    }

    @Override
    public void close() {
        snippetThread.shutdownNow();
        super.close();
    }

    private String onSnippetThread(Callable<String> work)
            throws RunException, InternalException, EngineTerminationException {
        if (stuck) {
            throw new EngineTerminationException("an earlier snippet is still running");
        }
        Future<String> result = snippetThread.submit(work);
        running = result;
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            stuck = true;
            result.cancel(true);
            throw new UserException("the snippet did not finish within " + timeout.toSeconds()
                    + " s (raise it with -D" + ScenarioShell.TIMEOUT_PROPERTY + "=SECONDS)",
                    TimeoutException.class.getName(), new StackTraceElement[0]);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.cancel(true);
            throw new InternalException("interrupted while waiting for a snippet");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RunException) {
                throw (RunException) cause;
            } else if (cause instanceof InternalException) {
                throw (InternalException) cause;
            } else if (cause instanceof EngineTerminationException) {
                throw (EngineTerminationException) cause;
            }
            throw new InternalException("snippet execution failed: " + cause);
        } finally {
            running = null;
        }
    }
}
