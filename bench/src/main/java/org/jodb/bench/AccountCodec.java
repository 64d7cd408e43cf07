package org.jodb.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The compact binary form of an {@link Account} used by the MVStore and MapDB adapters: owner as a
 * length-prefixed UTF-8 string, then balance and credit as 8-byte longs. Handing these stores a
 * dedicated serializer is what a user who cares about speed does; their defaults fall back to Java
 * serialization, which would make them look slower than they are.
 */
final class AccountCodec {
    private AccountCodec() {
    }

    static byte[] encode(Account a) {
        byte[] owner = a.getOwner().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + owner.length + 16);
        b.putInt(owner.length).put(owner).putLong(a.getBalance()).putLong(a.getCredit());
        return b.array();
    }

    static Account decode(ByteBuffer b) {
        byte[] owner = new byte[b.getInt()];
        b.get(owner);
        long balance = b.getLong();
        long credit = b.getLong();
        return new Account(new String(owner, StandardCharsets.UTF_8), balance, credit);
    }
}
