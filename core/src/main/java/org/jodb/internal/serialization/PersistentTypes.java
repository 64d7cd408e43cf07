package org.jodb.internal.serialization;

/**
 * Which classes are persistent (have their own record) and how proxy classes relate to the user's
 * classes. The object layer implements it; serialization writes a persistent object referenced from
 * another's state as a reference, never inline.
 */
public interface PersistentTypes {

    /** The type every persistent class implements (proxies, {@code PersistentMap}, {@code PersistentList}). */
    Class<?> marker();

    /** True for a generated proxy class. */
    boolean isProxy(Class<?> type);

    /** The user's class of a proxy class; {@code type} itself for any other class. */
    Class<?> userClass(Class<?> type);

    /** The proxy class for a user class. */
    Class<?> proxyClass(Class<?> userClass);
}
