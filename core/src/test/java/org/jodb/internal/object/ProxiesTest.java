package org.jodb.internal.object;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jodb.UnsupportedClassException;
import org.junit.jupiter.api.Test;

class ProxiesTest {
    private final Proxies proxies = new Proxies();

    public static class Counter {
        private int count;
        private final List<String> log = new ArrayList<>();

        public Counter() {
        }

        public Counter(int start) {
            this.count = start;
        }

        public void increment() {
            count++;
        }

        int count() {
            return count;
        }
    }

    public static final class Sealed {
    }

    public static class FinalMethod {
        public final void m() {
        }
    }

    public static class PublicField {
        public int x;
    }

    public static class NoDefault {
        private final String name;

        public NoDefault(String name) {
            this.name = name;
        }
    }

    /** Reports how many of its calls were running when {@link #during} ran, and can fail. */
    public static class Nested {
        private Runnable during = () -> { };

        public void run(Runnable r) {
            during = r;
            during.run();
        }

        public void fail() {
            throw new IllegalArgumentException("body");
        }

        public void outer(Runnable r) {
            run(r);
        }
    }

    /** A varargs constructor, and one taking an array. */
    public static class Tags {
        private final String joined;

        public Tags(String first, String... more) {
            joined = first + String.join("", more);
        }

        public Tags(long[] numbers) {
            joined = java.util.Arrays.toString(numbers);
        }

        String joined() {
            return joined;
        }
    }

    /** Overloads that differ only by primitive width. */
    public static class Amounts {
        private String picked;

        public Amounts(long amount) {
            picked = "long " + amount;
        }

        public Amounts(double amount) {
            picked = "double " + amount;
        }

        public Amounts(short amount) {
            picked = "short " + amount;
        }

        public String picked() {
            return picked;
        }
    }

    /** Records the calls the proxy reports. */
    static final class RecordingJar implements ObjectJar {
        int firstCalls;

        @Override
        public void beforeFirstCall(ObjectState state) {
            firstCalls++;
            state.status = ObjectStatus.TOUCHED;
        }

        @Override
        public void activate(ObjectState state) {
        }

        @Override
        public String describe() {
            return "test";
        }
    }

    @Test
    void proxyIsASubclassAndInterceptsPublicAndPackagePrivateMethods() {
        Counter c = proxies.instantiate(Counter.class, new Object[] {5});
        assertTrue(c instanceof PersistentObject);
        assertSame(Counter.class, proxies.userClass(c.getClass()));
        assertTrue(proxies.isProxy(c.getClass()));
        PersistentObject p = (PersistentObject) c;
        assertNull(p.$jodbState());
        c.increment(); // no state yet: runs as a plain object
        RecordingJar jar = new RecordingJar();
        p.$jodbState(new ObjectState(p, jar, ObjectStatus.CLEAN));
        c.increment();
        assertEquals(1, jar.firstCalls);
        c.increment();
        assertEquals(8, c.count());
        assertEquals(1, jar.firstCalls, "touched once until its status is reset");
        p.$jodbState().status = ObjectStatus.CLEAN;
        c.count(); // package-private method: intercepted too
        assertEquals(2, jar.firstCalls);
    }

    @Test
    void sameProxyClassForEveryCall() {
        assertSame(proxies.proxyClass(Counter.class), proxies.proxyClass(Counter.class));
    }

    @Test
    void refusesWhatCannotBeTracked() {
        assertTrue(assertThrows(UnsupportedClassException.class, () -> proxies.proxyClass(Sealed.class))
                .getMessage().contains("final"));
        assertTrue(assertThrows(UnsupportedClassException.class, () -> proxies.proxyClass(FinalMethod.class))
                .getMessage().contains("final method FinalMethod.m()"));
        assertTrue(assertThrows(UnsupportedClassException.class, () -> proxies.proxyClass(PublicField.class))
                .getMessage().contains("non-private instance field PublicField.x"));
        UnsupportedClassException e = assertThrows(UnsupportedClassException.class,
                () -> proxies.instantiate(NoDefault.class, new Object[] {42}));
        assertTrue(e.getMessage().contains("no accessible constructor"), e.getMessage());
        assertEquals("NoDefault", proxies.instantiate(NoDefault.class, new Object[] {"x"}).getClass()
                .getSuperclass().getSimpleName());
    }

    /**
     * {@code create(Tags.class, "a", "b", "c")} calls {@code Tags(String, String...)} as
     * {@code new Tags("a", "b", "c")} does, and an explicit array works too.
     */
    @Test
    void aVarargsConstructorTakesTheTrailingArgumentsAsInAJavaCall() {
        assertEquals("abc", proxies.instantiate(Tags.class, new Object[] {"a", "b", "c"}).joined());
        assertEquals("a", proxies.instantiate(Tags.class, new Object[] {"a"}).joined());
        assertEquals("ab", proxies.instantiate(Tags.class, new Object[] {"a", new String[] {"b"}}).joined());
        assertEquals("[1, 2]", proxies.instantiate(Tags.class, new Object[] {new long[] {1, 2}}).joined());
        UnsupportedClassException e = assertThrows(UnsupportedClassException.class,
                () -> proxies.instantiate(Tags.class, new Object[] {1L, 2L}));
        assertTrue(e.getMessage().contains("(Object) array"), e.getMessage());
    }

    /**
     * {@code create(Amounts.class, 5)} calls the constructor that {@code new Amounts(5)} calls: primitive
     * arguments widen as Java and reflection widen them (an int reaches a long parameter), and the closest
     * constructor wins.
     */
    @Test
    void primitiveArgumentsWidenAsInAJavaCallAndPickTheClosestConstructor() {
        assertEquals("long 5", proxies.instantiate(Amounts.class, new Object[] {5}).picked());
        assertEquals("long 7", proxies.instantiate(Amounts.class, new Object[] {'\u0007'}).picked());
        assertEquals("short 3", proxies.instantiate(Amounts.class, new Object[] {(byte) 3}).picked());
        assertEquals("double 1.5", proxies.instantiate(Amounts.class, new Object[] {1.5f}).picked());
        assertEquals("long 9", proxies.instantiate(Amounts.class, new Object[] {9L}).picked());
        UnsupportedClassException e = assertThrows(UnsupportedClassException.class,
                () -> proxies.instantiate(Amounts.class, new Object[] {true}));
        assertTrue(e.getMessage().contains("accepts (Boolean)"), e.getMessage());
    }

    @Test
    void runningCallsAreCountedAndUncountedHoweverTheyEnd() {
        Nested n = proxies.instantiate(Nested.class, new Object[0]);
        PersistentObject p = (PersistentObject) n;
        ObjectState state = new ObjectState(p, new RecordingJar(), ObjectStatus.CLEAN);
        p.$jodbState(state);
        int[] seen = new int[1];
        n.outer(() -> seen[0] = state.calls);
        assertEquals(2, seen[0], "outer and run are running");
        assertEquals(0, state.calls);
        assertThrows(IllegalArgumentException.class, n::fail);
        assertEquals(0, state.calls, "uncounted when the body throws");

        ObjectState refusing = new ObjectState(p, new ObjectJar() {
            @Override
            public void beforeFirstCall(ObjectState s) {
                throw new IllegalStateException("connection closed");
            }

            @Override
            public void activate(ObjectState s) {
            }

            @Override
            public String describe() {
                return "refusing";
            }
        }, ObjectStatus.GHOST);
        p.$jodbState(refusing);
        assertThrows(IllegalStateException.class, n::fail);
        assertEquals(0, refusing.calls, "never counted when the call was refused before it started");
    }
}
