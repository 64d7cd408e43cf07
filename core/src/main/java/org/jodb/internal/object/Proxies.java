package org.jodb.internal.object;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.isDefaultMethod;
import static net.bytebuddy.matcher.ElementMatchers.isFinal;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.modifier.FieldPersistence;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.dynamic.loading.MultipleParentClassLoader;
import net.bytebuddy.dynamic.scaffold.subclass.ConstructorStrategy;
import net.bytebuddy.implementation.FieldAccessor;
import net.bytebuddy.implementation.SuperMethodCall;
import net.bytebuddy.matcher.ElementMatcher;
import org.jodb.UnsupportedClassException;
import org.jodb.internal.serialization.PersistentTypes;
import org.jodb.internal.serialization.UnstoredState;

/**
 * Generates and caches the proxy class of a user class: a Byte Buddy subclass whose every overridable
 * method first runs {@link ProxyAdvice} (load a ghost, mark touched; {@link ArgumentsAdvice} also for
 * the persistent arguments of a method that takes an instance of the class; {@link CloneAdvice} for
 * {@code clone()}, whose copy gets a state of its own), and which carries the object's
 * {@link ObjectState} in a field of its own.
 *
 * <p>The proxy is defined next to the user class, in its class loader and package, through a
 * {@code privateLookupIn} of the user class (no JVM flags needed; package-private methods are intercepted
 * too). When that is impossible (the user's loader does not see jodb's classes, or its module does not
 * open the package) the proxy goes into a class loader of its own that sees both; package-private methods
 * of the user class are then not intercepted.
 *
 * <p>Proxy classes are shared by every database in the JVM. Thread-safe: one proxy class is defined per
 * user class, however many threads meet the class for the first time at the same moment.
 */
public final class Proxies implements PersistentTypes {
    static final String SUFFIX = "$$JodbProxy";
    private static final String STATE_FIELD = "$jodbState";
    /** Why a proxy is defined outside its class's package. */
    private static final String OUTSIDE = "its class loader does not see jodb's classes, or its module does"
            + " not open its package";

    /**
     * The proxy class of each user class, generated once: threads that meet a class for the first time at
     * the same moment (a server starting under load) wait for one definition instead of each defining it,
     * which the JVM refuses for all but the first.
     */
    private static final OncePerClass<Class<?>> PROXY = new OncePerClass<>(Proxies::generate);

    @Override
    public Class<?> marker() {
        return PersistentObject.class;
    }

    @Override
    public boolean isProxy(Class<?> type) {
        return isProxyClass(type);
    }

    private static boolean isProxyClass(Class<?> type) {
        return PersistentObject.class.isAssignableFrom(type) && type.getName().endsWith(SUFFIX);
    }

    @Override
    public Class<?> userClass(Class<?> type) {
        return isProxy(type) ? type.getSuperclass() : type;
    }

    /**
     * {@inheritDoc}
     *
     * @throws UnsupportedClassException when the class cannot be proxied; the message says why
     */
    @Override
    public Class<?> proxyClass(Class<?> userClass) {
        if (isProxy(userClass)) {
            return userClass;
        }
        return PROXY.get(userClass);
    }

    /**
     * A new proxy instance made by the constructor that accepts {@code args}.
     *
     * @throws UnsupportedClassException when the class cannot be proxied or no constructor fits
     */
    @SuppressWarnings("unchecked")
    public <T> T instantiate(Class<T> userClass, Object[] args) {
        Creator match = null;
        for (Creator c : CREATORS.get(userClass)) {
            if (accepts(c.parameters, args)) {
                if (match == null || moreSpecific(c.parameters, match.parameters)) {
                    match = c;
                }
            }
        }
        if (match == null) {
            // as a Java call would: a varargs constructor takes the trailing arguments as its array
            for (Creator c : CREATORS.get(userClass)) {
                if (c.varargs && acceptsVarargs(c.parameters, args)) {
                    args = packVarargs(c.parameters, args);
                    match = c;
                    break;
                }
            }
        }
        if (match == null) {
            Class<?> type = isProxyClass(userClass) ? userClass.getSuperclass() : userClass;
            String kinds = outsidePackage(proxyClass(type)) ? "public or protected constructor (" + OUTSIDE
                    + ", so the proxy cannot call a package-private one)" : "public, protected or package-private"
                    + " constructor";
            String privateClass = Modifier.isPrivate(type.getModifiers()) ? " (the default constructor of a"
                    + " private class is private too: declare the class package-private or public)" : "";
            String spread = "";
            for (Creator c : CREATORS.get(userClass)) {
                if (!c.varargs && c.parameters.length == 1 && c.parameters[0].isArray() && args.length > 0
                        && acceptsVarargs(c.parameters, args)) {
                    spread = " (an array passed to create(type, array) is spread into the arguments, as Java"
                            + " does for Object...: pass it as create(type, (Object) array))";
                }
            }
            throw new UnsupportedClassException("no accessible constructor of " + type.getName() + " accepts "
                    + describe(args) + privateClass + spread + "; add a " + kinds + " with these parameters, or"
                    + " pass arguments that fit one");
        }
        try {
            return (T) match.constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("constructor of " + userClass.getName() + " failed", cause);
        } catch (ReflectiveOperationException e) {
            throw new UnsupportedClassException("cannot call the constructor of " + userClass.getName()
                    + ": " + e, e);
        }
    }

    /**
     * The constructors of a user class's proxy (or of a proxy class), made accessible once:
     * {@code getDeclaredConstructors} copies every constructor (and its parameter types) on each call, and
     * {@link #instantiate} runs for every new object. Keyed by the class {@code instantiate} is given, so
     * that one lookup finds them.
     */
    private static final ClassValue<Creator[]> CREATORS = new ClassValue<>() {
        @Override
        protected Creator[] computeValue(Class<?> type) {
            Class<?> proxy = isProxyClass(type) ? type : PROXY.get(type);
            List<Creator> creators = new ArrayList<>();
            for (Constructor<?> constructor : proxy.getDeclaredConstructors()) {
                Class<?>[] parameters = constructor.getParameterTypes();
                Constructor<?> declared = declaredConstructor(proxy.getSuperclass(), parameters);
                if (outsidePackage(proxy) && declared != null && packagePrivate(declared)) {
                    continue; // its call of super(...) would throw IllegalAccessError
                }
                constructor.setAccessible(true);
                creators.add(new Creator(constructor, parameters, declared != null && declared.isVarArgs()));
            }
            return creators.toArray(new Creator[0]);
        }
    };

    /** Whether a proxy class was defined in a class loader of its own, outside its user class's package. */
    private static boolean outsidePackage(Class<?> proxy) {
        return proxy.getClassLoader() != proxy.getSuperclass().getClassLoader();
    }

    /** The user class's constructor that a proxy constructor with these parameters calls, or null. */
    private static Constructor<?> declaredConstructor(Class<?> type, Class<?>[] parameters) {
        try {
            return type.getDeclaredConstructor(parameters);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static boolean packagePrivate(Constructor<?> constructor) {
        int m = constructor.getModifiers();
        return !Modifier.isPublic(m) && !Modifier.isProtected(m) && !Modifier.isPrivate(m);
    }

    /**
     * One constructor of a proxy class, its parameter types, and whether the user class's constructor it
     * calls is declared with {@code ...}.
     */
    private record Creator(Constructor<?> constructor, Class<?>[] parameters, boolean varargs) {
    }

    /** Whether {@code args} fit a varargs parameter list with the trailing ones spread (not as an array). */
    private static boolean acceptsVarargs(Class<?>[] params, Object[] args) {
        int fixed = params.length - 1;
        if (args.length < fixed) {
            return false;
        }
        Class<?>[] spread = new Class<?>[args.length];
        System.arraycopy(params, 0, spread, 0, fixed);
        Arrays.fill(spread, fixed, spread.length, params[fixed].getComponentType());
        return accepts(spread, args);
    }

    /** {@code args} with the trailing ones packed into the array a varargs constructor takes. */
    private static Object[] packVarargs(Class<?>[] params, Object[] args) {
        int fixed = params.length - 1;
        Object array = Array.newInstance(params[fixed].getComponentType(), args.length - fixed);
        for (int i = fixed; i < args.length; i++) {
            Array.set(array, i - fixed, args[i]); // unboxes and widens for a primitive component type
        }
        Object[] packed = Arrays.copyOf(args, params.length);
        packed[fixed] = array;
        return packed;
    }

    private static Class<?> generate(Class<?> type) {
        refuseUnsupported(type);
        ElementMatcher.Junction<MethodDescription> intercepted = not(isDeclaredBy(Object.class))
                .and(not(isDeclaredBy(PersistentObject.class))).and(not(isStatic())).and(not(isFinal()))
                .and(not(isAbstract())).and(not(isDefaultMethod()));
        // Object's own equals is not intercepted (it reads no fields); an override of it is declared by
        // the user's class and so is matched above. Later registrations win in Byte Buddy.
        DynamicType.Unloaded<?> unloaded = new ByteBuddy()
                .subclass(type, ConstructorStrategy.Default.IMITATE_SUPER_CLASS_OPENING)
                .name(type.getName() + SUFFIX)
                .implement(PersistentObject.class)
                .defineField(STATE_FIELD, ObjectState.class, Visibility.PRIVATE, FieldPersistence.TRANSIENT)
                .method(intercepted)
                .intercept(Advice.to(ProxyAdvice.class).wrap(SuperMethodCall.INSTANCE))
                .method(intercepted.and(takesAnInstanceOf(type)))
                .intercept(Advice.to(ArgumentsAdvice.class).wrap(SuperMethodCall.INSTANCE))
                .method(named("clone").and(takesArguments(0)).and(not(isStatic())))
                .intercept(Advice.to(CloneAdvice.class).wrap(SuperMethodCall.INSTANCE))
                .method(named(STATE_FIELD).and(isDeclaredBy(PersistentObject.class)))
                .intercept(FieldAccessor.ofField(STATE_FIELD))
                .make();
        if (seesJodb(type.getClassLoader())) {
            Class<?> defined = definedNextTo(type);
            if (defined != null) {
                return defined; // an earlier call defined it but did not keep it (failed after): never define twice
            }
            try {
                MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
                return unloaded.load(type.getClassLoader(), ClassLoadingStrategy.UsingLookup.of(lookup))
                        .getLoaded();
            } catch (IllegalAccessException | RuntimeException | LinkageError e) {
                defined = definedNextTo(type);
                if (defined != null) {
                    return defined; // a duplicate definition: the one there is the proxy, not a reason to move
                }
                // fall back to a loader of our own below
            }
        }
        // the proxy lands in another runtime package: it can extend only a public class (else the JVM
        // throws IllegalAccessError when the proxy is loaded)
        for (Class<?> c = type; c != null; c = c.getDeclaringClass()) {
            if (!Modifier.isPublic(c.getModifiers())) {
                throw new UnsupportedClassException(type.getName() + " cannot be proxied: " + c.getName()
                        + " is not public, and the proxy cannot be defined in its package (" + OUTSIDE
                        + "); make it public, or load it through a class loader that sees jodb");
            }
        }
        ClassLoader both = new MultipleParentClassLoader.Builder()
                .append(type, PersistentObject.class).build();
        return unloaded.load(both, ClassLoadingStrategy.Default.WRAPPER).getLoaded();
    }

    /**
     * The proxy of {@code type} if its class loader has one defined already (in its package, as
     * {@link #generate} defines it), else null. Only a proxy of this very class counts: a class of the
     * same name with another superclass is not one.
     */
    private static Class<?> definedNextTo(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        try {
            Class<?> found = Class.forName(type.getName() + SUFFIX, false, loader);
            return found.getSuperclass() == type && found.getClassLoader() == loader
                    && PersistentObject.class.isAssignableFrom(found) ? found : null;
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    /** Methods with a parameter that could hold an instance of {@code type} (see {@link ArgumentsAdvice}). */
    private static ElementMatcher.Junction<MethodDescription> takesAnInstanceOf(Class<?> type) {
        return new ElementMatcher.Junction.AbstractBase<>() {
            @Override
            public boolean matches(MethodDescription method) {
                for (TypeDescription param : method.getParameters().asTypeList().asErasures()) {
                    if (!param.isPrimitive() && param.isAssignableFrom(type)) {
                        return true;
                    }
                }
                return false;
            }
        };
    }

    private static boolean seesJodb(ClassLoader loader) {
        try {
            return Class.forName(PersistentObject.class.getName(), false, loader) == PersistentObject.class;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Refuses what a subclass proxy cannot track, naming the problem and the remedy. */
    static void refuseUnsupported(Class<?> type) {
        String name = type.getName();
        if (type.isPrimitive() || type.isArray() || type.isInterface() || type.isEnum() || type.isRecord()
                || type.isAnnotation()) {
            throw new UnsupportedClassException(name + " cannot be a persistent object: only classes can;"
                    + " store it as a value inside one instead");
        }
        if (PersistentObject.class.isAssignableFrom(type)) {
            throw new UnsupportedClassException(name + " is persistent already: create it with new");
        }
        if (Modifier.isFinal(type.getModifiers())) {
            throw new UnsupportedClassException(name + " is final and cannot be proxied; remove final");
        }
        if (Modifier.isAbstract(type.getModifiers())) {
            throw new UnsupportedClassException(name + " is abstract; create a concrete subclass");
        }
        if (type.isAnonymousClass() || type.isLocalClass()
                || (type.isMemberClass() && !Modifier.isStatic(type.getModifiers()))) {
            throw new UnsupportedClassException(name + " is an inner (non-static), local or anonymous class;"
                    + " declare it as a static nested or top-level class");
        }
        List<String> problems = new ArrayList<>();
        Class<?> jdkClass = null; // the first JDK superclass with a problem: its fields are beyond the user's reach
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            int before = problems.size();
            for (Field f : c.getDeclaredFields()) {
                int m = f.getModifiers();
                if (!Modifier.isStatic(m) && !Modifier.isPrivate(m) && !f.isSynthetic()) {
                    problems.add("non-private instance field " + c.getSimpleName() + "." + f.getName()
                            + " (other objects could change it without jodb noticing; make it private)");
                }
            }
            for (Method method : c.getDeclaredMethods()) {
                int m = method.getModifiers();
                if (Modifier.isFinal(m) && !Modifier.isStatic(m) && !Modifier.isPrivate(m)
                        && !method.isSynthetic()) {
                    problems.add("final method " + c.getSimpleName() + "." + method.getName()
                            + "() (it cannot be intercepted; remove final)");
                } else if (!Modifier.isStatic(m) && !Modifier.isPublic(m) && !Modifier.isProtected(m)
                        && !Modifier.isPrivate(m) && !method.isSynthetic() && !samePackage(c, type)) {
                    problems.add("package-private method " + c.getSimpleName() + "." + method.getName()
                            + "() of package " + c.getPackageName() + " (the proxy, in package "
                            + type.getPackageName() + ", cannot override it, so a call on an object not loaded"
                            + " yet would see empty fields; make it public or protected)");
                }
            }
            ClassLoader loader = c.getClassLoader();
            if (problems.size() > before && jdkClass == null
                    && (loader == null || loader == ClassLoader.getPlatformClassLoader())) {
                jdkClass = c;
            }
        }
        if (jdkClass != null) {
            String what = jdkClass == type ? "it is " : "it extends " + jdkClass.getName() + ", ";
            throw new UnsupportedClassException(name + " cannot be proxied: " + what
                    + "a JDK class whose state jodb cannot track through a proxy (it has non-private fields"
                    + " or final methods); keep the " + jdkClass.getSimpleName() + " in a private field of a class"
                    + " of your own instead, or use PersistentMap or PersistentList");
        }
        if (!problems.isEmpty()) {
            throw new UnsupportedClassException(name + " cannot be proxied: " + String.join("; ", problems));
        }
        String unstored = UnstoredState.problem(type);
        if (unstored != null) {
            throw new UnsupportedClassException(name + " cannot be a persistent object: " + unstored);
        }
    }

    /** Whether a and b are in one runtime package (a package-private member of one is visible to the other). */
    private static boolean samePackage(Class<?> a, Class<?> b) {
        return a.getPackageName().equals(b.getPackageName()) && a.getClassLoader() == b.getClassLoader();
    }

    private static boolean accepts(Class<?>[] params, Object[] args) {
        if (params.length != args.length) {
            return false;
        }
        for (int i = 0; i < params.length; i++) {
            Class<?> p = params[i];
            Object a = args[i];
            if (a == null) {
                if (p.isPrimitive()) {
                    return false;
                }
            } else if (!box(p).isInstance(a) && !(p.isPrimitive() && widens(unbox(a.getClass()), p))) {
                return false;
            }
        }
        return true;
    }

    private static boolean moreSpecific(Class<?>[] a, Class<?>[] b) {
        for (int i = 0; i < a.length; i++) {
            if (!box(b[i]).isAssignableFrom(box(a[i])) && !(a[i].isPrimitive() && widens(a[i], b[i]))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether Java widens primitive {@code from} to primitive {@code to} (JLS 5.1.2), as a call
     * {@code new Account("a", 5)} does for a {@code long} parameter; reflection widens the same way.
     */
    private static boolean widens(Class<?> from, Class<?> to) {
        if (from == null || !to.isPrimitive()) {
            return false;
        }
        String targets = switch (from.getName()) {
            case "byte" -> "short int long float double";
            case "short", "char" -> "int long float double";
            case "int" -> "long float double";
            case "long" -> "float double";
            case "float" -> "double";
            default -> "";
        };
        return List.of(targets.split(" ")).contains(to.getName());
    }

    /** The primitive type of a wrapper class, or null. */
    private static Class<?> unbox(Class<?> c) {
        for (Class<?> p : new Class<?>[] {int.class, long.class, boolean.class, double.class, float.class,
                char.class, byte.class, short.class}) {
            if (box(p) == c) {
                return p;
            }
        }
        return null;
    }

    private static Class<?> box(Class<?> c) {
        if (!c.isPrimitive()) return c;
        if (c == int.class) return Integer.class;
        if (c == long.class) return Long.class;
        if (c == boolean.class) return Boolean.class;
        if (c == double.class) return Double.class;
        if (c == float.class) return Float.class;
        if (c == char.class) return Character.class;
        if (c == byte.class) return Byte.class;
        if (c == short.class) return Short.class;
        return Void.class;
    }

    private static String describe(Object[] args) {
        return Arrays.stream(args).map(a -> a == null ? "null" : a.getClass().getSimpleName())
                .collect(Collectors.joining(", ", "(", ")"));
    }
}
