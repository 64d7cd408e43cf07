package org.jodb.internal.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.spi.MemoryStorage;
import org.jodb.spi.Storage;
import org.jodb.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

/**
 * When a field's type changed between releases so that stored values no longer fit it, the user learns of
 * it: the field loads as the default (a record must stay readable), with a warning that names the class,
 * the field, both types and the remedy, since the next write of the object drops the stored value for good.
 */
class FieldTypeChangeTest {

    /** The class as first released. */
    public static class PriceV1 {
        private String price = "9.99";
        private int stock = 3;
    }

    /** The next release: {@code price} became a BigDecimal; {@code stock} a long (widened, still fits). */
    public static class PriceV2 {
        private BigDecimal price;
        private long stock;

        BigDecimal price() {
            return price;
        }

        long stock() {
            return stock;
        }
    }

    @Test
    void aStoredValueTheFieldCanNoLongerHoldIsReportedWhenLoaded() {
        MemoryStorage memory = new MemoryStorage();
        Storage keepOpen = (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(),
                new Class<?>[] {Storage.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null; // the second database reads the same memory
                    }
                    try {
                        return method.invoke(memory, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        try (Database db = Database.open(keepOpen)) {
            TransactionManager tm = new TransactionManager(false);
            Connection c = db.open(tm);
            c.root().put("h", c.create(Holder.class, new PriceV1()));
            tm.commit();
        }
        List<String> warnings = new ArrayList<>();
        Logger log = Logger.getLogger(FieldsSerializer.class.getName());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                warnings.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(handler);
        try (Database db = Database.open(keepOpen,
                new Database.Options().renameClass(PriceV1.class.getName(), PriceV2.class))) {
            TransactionManager tm = new TransactionManager(false);
            PriceV2 loaded = (PriceV2) ((Holder) db.open(tm).root().get("h")).value();
            assertNull(loaded.price());
            assertEquals(3, loaded.stock());
            tm.abort();
        } finally {
            log.removeHandler(handler);
        }
        assertEquals(1, warnings.size(), warnings.toString());
        String w = warnings.get(0);
        assertTrue(w.contains(PriceV2.class.getName()) && w.contains("java.lang.String")
                && w.contains("field price") && w.contains("java.math.BigDecimal") && w.contains("migration"), w);
    }
}
