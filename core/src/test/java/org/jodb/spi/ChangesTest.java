package org.jodb.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangesTest {

    @Test
    void unknownChangesListNoTransactions() {
        assertFalse(Changes.unknown(5).known());
        assertEquals(5, Changes.unknown(5).snapshotTid());
        assertThrows(IllegalArgumentException.class,
                () -> new Changes(5, List.of(new CommittedTransaction(5, new long[] {1})), false));
    }

    @Test
    void theListIsACopy() {
        List<CommittedTransaction> list = new ArrayList<>();
        list.add(new CommittedTransaction(3, new long[] {1}));
        Changes changes = new Changes(3, list, true);
        list.clear();
        assertEquals(1, changes.transactions().size());
        assertTrue(Changes.none(3).transactions().isEmpty());
    }
}
