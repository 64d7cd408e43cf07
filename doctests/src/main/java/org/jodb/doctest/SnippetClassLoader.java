package org.jodb.doctest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Defines the classes JShell compiles from snippets. Its parent is the loader of the runner, so
 * snippets see jodb and its dependencies; frameworks see snippet classes through this loader (it is
 * the snippet thread's context class loader) and can read their class files as resources
 * ({@code REPL/$JShell$12$Account.class}), as a class file locator does.
 *
 * <p>JShell compiles a declared class as a member of a generated wrapper ({@code Account} becomes
 * {@code REPL.$JShell$12$Account}, and {@code REPL.$JShell$12B$Account} once redefined). This loader
 * also answers {@link #loadClass(String) loadClass("Account")} with the newest definition, so a
 * framework that stores the declared name (jodb does) finds the class the scenario uses now.
 * ({@code Class.forName} cannot do this: the JVM insists that the class's name is the name asked for.)
 */
final class SnippetClassLoader extends URLClassLoader {

    static {
        ClassLoader.registerAsParallelCapable();
    }

    /** A class declared in a snippet: a member of JShell's wrapper {@code REPL.$JShell$<n>[A-Z]}. */
    private static final Pattern JSHELL_MEMBER = Pattern.compile("^REPL\\.\\$JShell\\$\\d+[A-Z]?\\$(.+)$");

    /** Class file bytes by resource name ({@code a/b/C.class}); replaced when JShell redefines a class. */
    private final Map<String, byte[]> classFiles = new ConcurrentHashMap<>();

    /** Declared name ({@code Account}, {@code Outer$Inner}) → binary name of its newest definition. */
    private final Map<String, String> newestByDeclaredName = new ConcurrentHashMap<>();

    SnippetClassLoader(ClassLoader parent) {
        super("jshell-snippets", new URL[0], parent);
    }

    void declare(String className, byte[] bytes) {
        classFiles.put(resourceName(className), bytes.clone());
        Matcher wrapped = JSHELL_MEMBER.matcher(className);
        if (wrapped.matches()) {
            newestByDeclaredName.put(wrapped.group(1), className);
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = classFiles.get(resourceName(name));
        if (bytes == null) {
            String newest = name.indexOf('.') < 0 ? newestByDeclaredName.get(name) : null;
            return newest != null ? loadClass(newest) : super.findClass(name);
        }
        return defineClass(name, bytes, 0, bytes.length);
    }

    @Override
    public URL findResource(String name) {
        URL url = snippetResource(name);
        return url != null ? url : super.findResource(name);
    }

    @Override
    public Enumeration<URL> findResources(String name) throws IOException {
        URL url = snippetResource(name);
        List<URL> all = new ArrayList<>(Collections.list(super.findResources(name)));
        if (url != null) {
            all.add(url);
        }
        return Collections.enumeration(all);
    }

    @Override
    public void addURL(URL url) {
        super.addURL(url);
    }

    private URL snippetResource(String name) {
        byte[] bytes = classFiles.get(name);
        if (bytes == null) {
            return null;
        }
        try {
            return new URL("jshell", null, -1, "/" + name, new URLStreamHandler() {
                @Override
                protected URLConnection openConnection(URL url) {
                    return new URLConnection(url) {
                        @Override
                        public void connect() {
                            connected = true;
                        }

                        @Override
                        public InputStream getInputStream() {
                            return new ByteArrayInputStream(bytes);
                        }

                        @Override
                        public long getContentLengthLong() {
                            return bytes.length;
                        }
                    };
                }
            });
        } catch (MalformedURLException e) {
            throw new IllegalStateException("cannot name snippet class file " + name, e);
        }
    }

    private static String resourceName(String className) {
        return className.replace('.', '/') + ".class";
    }
}
