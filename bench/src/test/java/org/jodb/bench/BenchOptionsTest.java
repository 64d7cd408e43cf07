package org.jodb.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void quickShrinksTheSizes() {
        BenchOptions full = BenchOptions.parse();
        BenchOptions quick = BenchOptions.parse("--quick");
        assertEquals(100_000, full.accounts());
        assertEquals(10_000, full.updates());
        assertTrue(quick.accounts() < full.accounts());
        assertTrue(quick.capSeconds() < full.capSeconds());
        assertEquals(BenchOptions.ALL_STORES, full.stores());
    }

    @Test
    void selectsStoresWorkloadsAndModes() {
        BenchOptions o = BenchOptions.parse("--stores", "jodb,MapDB", "--workloads", "w1,cold_read,5", "--modes", "sync");
        assertEquals(List.of("jodb", "mapdb"), o.stores());
        assertEquals(EnumSet.of(Workload.INSERT, Workload.COLD_READ, Workload.CONCURRENT), o.workloads());
        assertEquals(EnumSet.of(Durability.SYNC), o.modes());
    }

    @Test
    void refusesWhatItDoesNotKnow() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchOptions.parse("--stores", "sqlite"));
        assertTrue(e.getMessage().contains("jodb,jodb-tree,mvstore,eclipsestore,mapdb"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--workloads", "9"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--rounds"));
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--frobnicate"));
    }
}
