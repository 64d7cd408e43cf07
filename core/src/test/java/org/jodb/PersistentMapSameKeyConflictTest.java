package org.jodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jodb.spi.MemoryStorage;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two transactions that change one key of a {@code PersistentMap} the same way conflict: two withdrawals of
 * 1 from a balance of 100 both write 99, and merging them (as the map's conflict resolution once did) kept
 * 99, losing one. Both forms of the map: one record, and chunks.
 */
class PersistentMapSameKeyConflictTest {

    @ParameterizedTest
    @ValueSource(ints = {1, 3000})
    @SuppressWarnings("unchecked")
    void twoWithdrawalsWritingTheSameBalanceConflictAndRunAppliesBoth(int entries) {
        Database db = Database.open(new MemoryStorage());
        TransactionManager tmA = new TransactionManager(false);
        Connection a = db.open(tmA);
        Map<String, Long> accounts = new LinkedHashMap<>();
        for (int i = 0; i < entries; i++) {
            accounts.put("acct" + i, 100L);
        }
        a.root().put("bank", new PersistentMap<>(accounts));
        tmA.commit();
        TransactionManager tmB = new TransactionManager(false);
        Connection b = db.open(tmB);
        Map<String, Long> seenByA = (Map<String, Long>) a.root().get("bank");
        Map<String, Long> seenByB = (Map<String, Long>) b.root().get("bank");
        seenByA.put("acct0", seenByA.get("acct0") - 1);
        seenByB.put("acct0", seenByB.get("acct0") - 1);
        tmA.commit();
        assertThrows(ConflictException.class, tmB::commit);
        tmB.abort();
        tmB.run(2, () -> seenByB.put("acct0", seenByB.get("acct0") - 1));
        TransactionManager check = new TransactionManager(false);
        assertEquals(98L, ((Map<String, Long>) db.open(check).root().get("bank")).get("acct0"));
    }
}
