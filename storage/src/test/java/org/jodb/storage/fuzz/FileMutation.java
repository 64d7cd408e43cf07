package org.jodb.storage.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;

/**
 * One damage done to one file of a store copy (two for a swap). Byte damage lands in the part of a segment
 * that holds records half of the time, since segments are mostly zeros.
 *
 * @param kind   what is done
 * @param file   the file damaged
 * @param other  the second file of a swap, else {@code null}
 * @param at     where bytes are changed, or the new length of a truncate
 * @param length how many bytes are overwritten or appended
 * @param seed   the random bytes' seed
 */
record FileMutation(Kind kind, Path file, Path other, long at, int length, long seed) {

    enum Kind { FLIP, OVERWRITE, TRUNCATE, DELETE, REPLACE, APPEND, SWAP }

    /** Picks a mutation of {@code file} ({@code candidates} for a swap's second file). */
    static FileMutation pick(Random random, Path file, List<Path> candidates) throws IOException {
        Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
        long size = Files.size(file);
        long used = usedEnd(file);
        long at = size == 0 ? 0 : random.nextBoolean() && used > 0 ? random.nextLong(Math.min(size, used + 64))
                : random.nextLong(size);
        return switch (kind) {
            case FLIP -> new FileMutation(kind, file, null, at, 1, random.nextLong());
            case OVERWRITE -> new FileMutation(kind, file, null, at, 1 + random.nextInt(random.nextBoolean() ? 16 : 1024),
                    random.nextLong());
            case TRUNCATE -> new FileMutation(kind, file, null, size == 0 ? 0 : random.nextLong(size), 0, 0);
            case APPEND -> new FileMutation(kind, file, null, size, 1 + random.nextInt(256), random.nextLong());
            case SWAP -> {
                List<Path> others = candidates.stream().filter(p -> !p.equals(file)).toList();
                yield others.isEmpty() ? new FileMutation(Kind.DELETE, file, null, 0, 0, 0)
                        : new FileMutation(kind, file, others.get(random.nextInt(others.size())), 0, 0, 0);
            }
            case DELETE, REPLACE -> new FileMutation(kind, file, null, 0, 0, 0);
        };
    }

    /** Applies the mutation; {@code stale} is the store's directory at its previous clean close. */
    void apply(Path stale) {
        try {
            switch (kind) {
                case FLIP -> {
                    if (Files.size(file) == 0) {
                        return;
                    }
                    byte[] b = read(at, 1);
                    b[0] ^= (byte) (1 + new Random(seed).nextInt(255));
                    write(at, b);
                }
                case OVERWRITE -> {
                    byte[] noise = new byte[(int) Math.min(length, Math.max(0, Files.size(file) - at))];
                    new Random(seed).nextBytes(noise);
                    write(at, noise);
                }
                case TRUNCATE -> {
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        ch.truncate(at);
                    }
                }
                case APPEND -> {
                    byte[] noise = new byte[length];
                    new Random(seed).nextBytes(noise);
                    write(Files.size(file), noise);
                }
                case DELETE -> Files.delete(file);
                case REPLACE -> {
                    Path old = stale.resolve(file.getFileName());
                    if (Files.exists(old)) {
                        Files.copy(old, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    } else {
                        Files.delete(file); // the file is newer than the previous close: its older copy is none
                    }
                }
                case SWAP -> {
                    Path tmp = file.resolveSibling("swap.tmp-fuzz");
                    Files.move(file, tmp);
                    Files.move(other, file);
                    Files.move(tmp, other);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] read(long position, int n) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(n);
            ch.read(b, position);
            return b.array();
        }
    }

    private void write(long position, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b, position + b.position());
            }
        }
    }

    /** The offset after the last byte that is not zero (where a segment's records end). */
    private static long usedEnd(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        return end;
    }

    @Override
    public String toString() {
        String name = file.getFileName().toString();
        return switch (kind) {
            case FLIP -> "flip a byte of " + name + " at " + at;
            case OVERWRITE -> "overwrite " + length + " bytes of " + name + " at " + at;
            case TRUNCATE -> "truncate " + name + " to " + at + " bytes";
            case APPEND -> "append " + length + " bytes to " + name;
            case DELETE -> "delete " + name;
            case REPLACE -> "replace " + name + " by its copy from the previous clean close";
            case SWAP -> "swap " + name + " and " + other.getFileName();
        };
    }
}
