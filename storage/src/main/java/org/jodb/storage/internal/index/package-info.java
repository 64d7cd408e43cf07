/**
 * Internal to jodb's file storage, with no compatibility promise: any type here may change or go in any
 * release. Public only because {@code org.jodb.storage} and its other internal packages use it.
 *
 * <p>The oid index: {@link org.jodb.storage.internal.index.OidIndex}, a Chronicle Map file from each page of 64
 * consecutive oids to the position and tid of each one's newest revision ({@code OidPage}), derived from the log and rebuilt from it whenever it cannot be
 * trusted; its side file {@link org.jodb.storage.internal.index.IndexMeta} ({@code index.meta}); and the JVM
 * flags and notices Chronicle Map needs. The only package that uses Chronicle Map.
 */
package org.jodb.storage.internal.index;
