package org.jodb.coldstart;

import java.io.IOException;
import java.io.InputStream;

/**
 * A class loader that defines its own copy of every class of package {@code org.jodb.coldstart.cold} (read
 * from its parent's class path) and delegates the rest: each instance gives classes that no thread has
 * used yet, so that one JVM can repeat a cold start many times. jodb's classes come from the parent, so a
 * proxy is defined next to its class, in this loader, as for an application's own classes.
 */
final class FreshClasses extends ClassLoader {
    static final String COLD = "org.jodb.coldstart.cold.";

    FreshClasses(ClassLoader parent) {
        super("fresh-cold-classes", parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith(COLD)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name); // also the proxies jodb defined here
            if (loaded != null) {
                return loaded;
            }
            try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                if (in == null) {
                    throw new ClassNotFoundException(name);
                }
                byte[] bytes = in.readAllBytes();
                return defineClass(name, bytes, 0, bytes.length);
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }
    }
}
