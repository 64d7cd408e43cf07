/**
 * Internal: how the state of a persistent object becomes the bytes of a record and back (Kryo behind
 * {@link org.jodb.internal.serialization.ObjectRecordCodec}, the type registry of class names and field
 * layouts stored in the database, class renames, the refusal of states that would not survive a reopen).
 *
 * <p>Not part of jodb's API: no compatibility promise, and nothing here is for applications. The object
 * layer ({@code org.jodb.internal.object}) is its only user. Only this package imports Kryo.
 */
package org.jodb.internal.serialization;
