/**
 * jodb's durable storage on memory-mapped files. Its public types are the entry points:
 * {@link org.jodb.storage.MappedFileStorage} (open a store directory), {@link org.jodb.storage.StorageOptions}
 * (durability, segment size, index capacity) and {@link org.jodb.storage.MappedFileStorageProvider} (found by
 * {@link java.util.ServiceLoader}). Everything else here is package-private, and the packages under
 * {@code org.jodb.storage.internal} are internal. storage/FORMAT.md defines the files.
 */
package org.jodb.storage;
