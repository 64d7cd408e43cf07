package org.jodb.bench;

import java.nio.ByteBuffer;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/**
 * MVStore's serializer for {@link Account}, on {@link AccountCodec}'s layout. Public with a public
 * no-arg constructor because MVStore records the type's class name in the file and instantiates it
 * reflectively when the store is reopened.
 */
public final class MvStoreAccountType extends BasicDataType<Account> {
    static final MvStoreAccountType INSTANCE = new MvStoreAccountType();

    public MvStoreAccountType() {
    }

    @Override
    public int getMemory(Account a) {
        return 48 + 2 * a.getOwner().length();
    }

    @Override
    public void write(WriteBuffer buff, Account a) {
        buff.put(AccountCodec.encode(a));
    }

    @Override
    public Account read(ByteBuffer buff) {
        return AccountCodec.decode(buff);
    }

    @Override
    public Account[] createStorage(int size) {
        return new Account[size];
    }
}
