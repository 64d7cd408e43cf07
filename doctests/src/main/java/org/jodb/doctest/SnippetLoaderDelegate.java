package org.jodb.doctest;

import java.io.File;
import java.net.MalformedURLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.spi.ExecutionControl.ClassBytecodes;
import jdk.jshell.spi.ExecutionControl.ClassInstallException;
import jdk.jshell.spi.ExecutionControl.InternalException;

/** Installs JShell's compiled snippet classes into one {@link SnippetClassLoader}. */
final class SnippetLoaderDelegate implements LoaderDelegate {

    private final SnippetClassLoader loader;
    private final Map<String, Class<?>> classes = new HashMap<>();

    SnippetLoaderDelegate(SnippetClassLoader loader) {
        this.loader = loader;
    }

    SnippetClassLoader loader() {
        return loader;
    }

    /** Every class installed so far, the wrappers of the snippets included. */
    synchronized List<Class<?>> loadedClasses() {
        return new ArrayList<>(classes.values());
    }

    @Override
    public synchronized void load(ClassBytecodes[] classFiles) throws ClassInstallException {
        boolean[] installed = new boolean[classFiles.length];
        try {
            for (ClassBytecodes file : classFiles) {
                loader.declare(file.name(), file.bytecodes());
            }
            for (int i = 0; i < classFiles.length; i++) {
                Class<?> type = loader.loadClass(classFiles[i].name());
                classes.put(classFiles[i].name(), type);
                installed[i] = true;
                type.getDeclaredMethods(); // link now, so a broken class fails here rather than mid-snippet
            }
        } catch (Throwable e) {
            throw new ClassInstallException("load: " + e, installed);
        }
    }

    @Override
    public synchronized void classesRedefined(ClassBytecodes[] classFiles) {
        for (ClassBytecodes file : classFiles) {
            loader.declare(file.name(), file.bytecodes());
        }
    }

    @Override
    public void addToClasspath(String classPath) throws InternalException {
        try {
            for (String entry : classPath.split(File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    loader.addURL(new File(entry).toURI().toURL());
                }
            }
        } catch (MalformedURLException e) {
            throw new InternalException("bad class path entry in " + classPath + ": " + e.getMessage());
        }
    }

    @Override
    public synchronized Class<?> findClass(String name) throws ClassNotFoundException {
        Class<?> type = classes.get(name);
        if (type == null) {
            throw new ClassNotFoundException(name + " was not loaded from a snippet");
        }
        return type;
    }
}
