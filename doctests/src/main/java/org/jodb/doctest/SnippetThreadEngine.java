package org.jodb.doctest;

import java.time.Duration;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.Map;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/** Gives JShell a {@link SnippetThreadExecutionControl}; one engine per session. */
final class SnippetThreadEngine implements ExecutionControlProvider {

    private final ClassLoader parent;
    private final Duration timeout;
    private final String threadName;
    private volatile SnippetThreadExecutionControl control;

    SnippetThreadEngine(ClassLoader parent, Duration timeout, String threadName) {
        this.parent = parent;
        this.timeout = timeout;
        this.threadName = threadName;
    }

    @Override
    public String name() {
        return "jodb-snippet-thread";
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
        control = new SnippetThreadExecutionControl(
                new SnippetLoaderDelegate(new SnippetClassLoader(parent)), timeout, threadName);
        return control;
    }

    /** See {@link SnippetThreadExecutionControl#renderValues(boolean)}. */
    void renderValues(boolean render) {
        SnippetThreadExecutionControl current = control;
        if (current != null) {
            current.renderValues(render);
        }
    }

    /** See {@link SnippetThreadExecutionControl#closeLeftovers()}. */
    List<String> closeLeftovers(Set<Path> held) {
        SnippetThreadExecutionControl current = control;
        return current == null ? List.of() : current.closeLeftovers(held);
    }

    /** True when a snippet overran its time and may still occupy the snippet thread. */
    boolean isStuck() {
        SnippetThreadExecutionControl current = control;
        return current != null && current.isStuck();
    }
}
