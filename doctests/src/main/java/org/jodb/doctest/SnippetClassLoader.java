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

/**
 * Defines the classes JShell compiles from snippets. Its parent is the loader of the runner, so
 * snippets see jodb and its dependencies; frameworks see snippet classes through this loader (it is
 * the snippet thread's context class loader) and can read their class files as resources
 * ({@code REPL/$JShell$12$Account.class}), as a class file locator does.
 */
final class SnippetClassLoader extends URLClassLoader {

    static {
        ClassLoader.registerAsParallelCapable();
    }

    /** Class file bytes by resource name ({@code a/b/C.class}); replaced when JShell redefines a class. */
    private final Map<String, byte[]> classFiles = new ConcurrentHashMap<>();

    SnippetClassLoader(ClassLoader parent) {
        super("jshell-snippets", new URL[0], parent);
    }

    void declare(String className, byte[] bytes) {
        classFiles.put(resourceName(className), bytes.clone());
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = classFiles.get(resourceName(name));
        if (bytes == null) {
            return super.findClass(name);
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
