package org.jodb.internal.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.HashMap;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.dynamic.scaffold.subclass.ConstructorStrategy;
import net.bytebuddy.implementation.MethodCall;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.UnsupportedClassException;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/**
 * Classes a user writes that {@code Connection.create} cannot track: each is refused at {@code create} with
 * an {@link UnsupportedClassException} that names the class, the problem and the remedy, rather than a JVM
 * error or a record that loads without part of its state.
 */
class UserClassChecksTest {
    private final Proxies proxies = new Proxies();

    /** Old-style Serializable: its state is in a transient field that writeObject writes by hand. */
    public static class HandSerialized implements Serializable {
        private transient int[] data = new int[0];

        public void set(int... values) {
            data = values;
        }

        public int[] data() {
            return data;
        }

        private void writeObject(ObjectOutputStream out) throws IOException {
            out.defaultWriteObject();
            out.writeObject(data);
        }
    }

    /** Serializable with a writeObject, but no transient field: jodb stores all of its state. */
    public static class SerializableWithPlainFields implements Serializable {
        private int count;

        public void add() {
            count++;
        }

        public int count() {
            return count;
        }

        private void writeObject(ObjectOutputStream out) throws IOException {
            out.defaultWriteObject();
        }
    }

    public static class Inventory extends HashMap<String, Integer> {
    }

    /** Extends a class of another package that has a package-private method. */
    public static class Customer extends org.jodb.internal.object.base.Entity {
        public Customer() {
        }

        public Customer(String id) {
            super(id);
        }
    }

    /** Extends a class of another package whose methods are public. */
    public static class Product extends org.jodb.internal.object.base.Named {
        public Product() {
        }

        public Product(String name) {
            super(name);
        }
    }

    /** Holds a logger in an instance field, as much code does. */
    public static class Job {
        private java.util.logging.Logger log = java.util.logging.Logger.getLogger("job");
        private int runs;

        public void run() {
            runs++;
        }
    }

    private static class Hidden {
        public void touch() {
        }
    }

    /**
     * A Serializable class whose writeObject writes its transient fields is refused at create: transient
     * fields are never stored and writeObject is never called, so its state would be gone after a reopen.
     */
    @Test
    void aClassThatWritesItsTransientFieldsInWriteObjectIsRefusedAtCreate() {
        try (Database db = Database.inMemory()) {
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            UnsupportedClassException e = assertThrows(UnsupportedClassException.class,
                    () -> c.create(HandSerialized.class));
            assertTrue(e.getMessage().contains(HandSerialized.class.getName())
                    && e.getMessage().contains("HandSerialized.data")
                    && e.getMessage().contains("writeObject")
                    && e.getMessage().contains("non-transient"), e.getMessage());

            SerializableWithPlainFields kept = c.create(SerializableWithPlainFields.class);
            kept.add();
            c.root().put("kept", kept);
            tm.commit();
            TransactionManager reader = new TransactionManager(false);
            assertEquals(1, ((SerializableWithPlainFields) db.open(reader).root().get("kept")).count());
            reader.abort();
        }
    }

    /**
     * A class extending HashMap is refused with a remedy the user can apply (keep the map in a field, or use
     * PersistentMap), not with a list of HashMap's own fields and methods the user cannot change.
     */
    @Test
    void aSubclassOfAJdkCollectionIsRefusedWithARemedyTheUserCanApply() {
        UnsupportedClassException e = assertThrows(UnsupportedClassException.class,
                () -> proxies.proxyClass(Inventory.class));
        assertTrue(e.getMessage().contains(Inventory.class.getName())
                && e.getMessage().contains("extends java.util.HashMap")
                && e.getMessage().contains("PersistentMap")
                && !e.getMessage().contains("make it private"), e.getMessage());
        e = assertThrows(UnsupportedClassException.class, () -> proxies.proxyClass(java.util.ArrayList.class));
        assertTrue(e.getMessage().contains("java.util.ArrayList cannot be proxied: it is a JDK class"),
                e.getMessage());
    }

    /**
     * A class whose superclass, in another package, has a package-private method is refused: the proxy (in
     * the subclass's package) cannot override that method, so code of the superclass's package calling it on
     * an object not loaded yet would read empty fields.
     */
    @Test
    void aPackagePrivateMethodOfASuperclassInAnotherPackageIsRefused() {
        UnsupportedClassException e = assertThrows(UnsupportedClassException.class,
                () -> proxies.proxyClass(Customer.class));
        assertTrue(e.getMessage().contains(Customer.class.getName())
                && e.getMessage().contains("package-private method Entity.id()")
                && e.getMessage().contains("make it public or protected"), e.getMessage());

        try (Database db = Database.inMemory()) {
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            c.root().put("p", c.create(Product.class, "lamp"));
            tm.commit();
            TransactionManager reader = new TransactionManager(false);
            assertEquals("lamp", ((Product) db.open(reader).root().get("p")).name());
            reader.abort();
        }
    }

    /** A logger in an instance field cannot be stored; the message says to make the field static or transient. */
    @Test
    void aLoggerFieldIsRefusedWithTheRemedyForWhatIsNotData() {
        try (Database db = Database.inMemory()) {
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            Job job = c.create(Job.class);
            job.run();
            c.root().put("job", job);
            UnsupportedClassException e = assertThrows(UnsupportedClassException.class, tm::commit);
            assertTrue(e.getMessage().contains("Job.log") && e.getMessage().contains("java.util.logging.Logger")
                    && e.getMessage().contains("static or transient"), e.getMessage());
            tm.abort();
        }
    }

    /** A private nested class has a private default constructor: the message says so. */
    @Test
    void aPrivateNestedClassNamesItsPrivateDefaultConstructor() {
        UnsupportedClassException e = assertThrows(UnsupportedClassException.class,
                () -> proxies.instantiate(Hidden.class, new Object[0]));
        assertTrue(e.getMessage().contains(Hidden.class.getName())
                && e.getMessage().contains("private class"), e.getMessage());
    }

    /**
     * A class whose loader does not see jodb (a plugin loader under the platform loader) and that the proxy,
     * defined outside its package, cannot extend or construct, is refused with the remedy, rather than
     * failing with the JVM's {@code IllegalAccessError} when the proxy is loaded or constructed.
     */
    @Test
    void aClassTheProxyCannotReachFromAnotherLoaderIsRefusedNotAnIllegalAccessError() {
        Class<?> notPublic = new ByteBuddy()
                .subclass(Object.class, ConstructorStrategy.Default.DEFAULT_CONSTRUCTOR)
                .name("plugin.NotPublic").modifiers(Visibility.PACKAGE_PRIVATE)
                .make().load(ClassLoader.getPlatformClassLoader(), ClassLoadingStrategy.Default.WRAPPER)
                .getLoaded();
        UnsupportedClassException e = assertThrows(UnsupportedClassException.class,
                () -> proxies.instantiate(notPublic, new Object[0]));
        assertTrue(e.getMessage().contains("plugin.NotPublic") && e.getMessage().contains("not public")
                && e.getMessage().contains("make it public"), e.getMessage());

        Class<?> packageConstructor = new ByteBuddy()
                .subclass(Object.class, ConstructorStrategy.Default.NO_CONSTRUCTORS)
                .name("plugin.PackageConstructor").modifiers(Visibility.PUBLIC)
                .defineConstructor(Visibility.PACKAGE_PRIVATE)
                .intercept(MethodCall.invoke(objectConstructor()))
                .make().load(ClassLoader.getPlatformClassLoader(), ClassLoadingStrategy.Default.WRAPPER)
                .getLoaded();
        e = assertThrows(UnsupportedClassException.class,
                () -> proxies.instantiate(packageConstructor, new Object[0]));
        assertTrue(e.getMessage().contains("plugin.PackageConstructor")
                && e.getMessage().contains("public or protected constructor"), e.getMessage());
    }

    private static java.lang.reflect.Constructor<?> objectConstructor() {
        try {
            return Object.class.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }
}
