package org.jodb.internal.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InaccessibleObjectException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.jodb.UnsupportedClassException;
import org.jodb.internal.object.Proxies;
import org.junit.jupiter.api.Test;

/**
 * A value whose state is a JDK class's private fields is refused with a message that names the field of
 * the application that holds it and the class it refused, never a private field of the JDK: those differ
 * between JDKs (JDK 17 fails {@code Thread} at {@code group}, JDK 25 at {@code contextClassLoader}) and with
 * the {@code --add-opens} flags. The tests run with the build's flags, which open {@code java.lang} (so
 * jodb gets into a Thread's fields and fails deeper) but not {@code java.util.concurrent.locks} or
 * {@code java.security} (so it fails at the first field).
 */
class JdkStateRefusalsTest {
    private final ObjectRecordCodec codec = new ObjectRecordCodec(new Proxies(), new ClassNames(Map.of()));

    public static class Holder {
        private Object value;
    }

    /** An application's class that inherits a JDK class's state. */
    public static class Worker extends Thread {
        private String task = "report";
    }

    /** An application's class whose JDK superclasses keep fields in a package the build does not open. */
    public static class PluginLoader extends URLClassLoader {
        private String plugin = "x";

        public PluginLoader() {
            super(new URL[0]);
        }
    }

    private UnsupportedClassException refusalOf(Object value) {
        Holder h = new Holder();
        h.value = value;
        return assertThrows(UnsupportedClassException.class,
                () -> codec.write(h, new ObjectRecordCodecTest.MapContext()));
    }

    private static String expected(String refused) {
        return "jodb cannot store field " + Holder.class.getName() + ".value: jodb cannot store a " + refused;
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aThreadIsRefusedByItsClassWhereverItsPrivateFieldsFail() {
        UnsupportedClassException e = refusalOf(new Thread());
        String m = e.getMessage();
        assertTrue(m.startsWith(expected("java.lang.Thread: jodb has no serializer for this JDK class")), m);
        assertFalse(m.contains("java.lang.Thread."), "no private field of Thread: " + m);
        assertTrue(m.endsWith(JdkStateRefusals.NOT_DATA), m);
        assertNotNull(e.getCause().getCause(), "the cause keeps the details");
    }

    @Test
    void aJdkClassWhoseFieldsAreClosedGetsTheSameKindOfMessage() {
        UnsupportedClassException e = refusalOf(new ReentrantLock());
        String m = e.getMessage();
        assertEquals(expected("java.util.concurrent.locks.ReentrantLock: jodb has no serializer for this JDK"
                + " class, and its private fields hold what jodb cannot store (the exception's cause says which); "
                + JdkStateRefusals.NOT_DATA), m);
        assertTrue(causedBy(e, InaccessibleObjectException.class), "the cause names the closed field");
    }

    @Test
    void aValueInsideACollectionIsRefusedTheSameWay() {
        List<Object> list = new ArrayList<>();
        list.add("fine");
        list.add(new Thread());
        String m = refusalOf(list).getMessage();
        assertTrue(m.startsWith(expected("java.lang.Thread: ")), m);
        assertFalse(m.contains("java.lang.Thread."), m);
    }

    @Test
    void anApplicationClassExtendingAJdkClassNamesItselfAndThatSuperclass() {
        String m = refusalOf(new Worker()).getMessage();
        assertTrue(m.startsWith(expected(Worker.class.getName() + ": it extends the JDK class java.lang.Thread,"
                + " whose private fields jodb cannot store")), m);
        assertFalse(m.contains("java.lang.Thread."), m);

        String loader = refusalOf(new PluginLoader()).getMessage();
        assertTrue(loader.startsWith(expected(PluginLoader.class.getName() + ": it extends the JDK class"
                + " java.net.URLClassLoader, whose private fields jodb cannot store")), loader);
        assertFalse(loader.contains("pdcache"), loader);
    }
}
