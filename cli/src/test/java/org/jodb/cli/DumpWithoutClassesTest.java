package org.jodb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import org.jodb.Connection;
import org.jodb.Database;
import org.jodb.Persistence;
import org.jodb.PersistentMap;
import org.jodb.transaction.Transactions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dump reads records whose classes are not on its class path: the store is written with classes defined in a
 * throwaway class loader, which neither the command nor jodb's own loader can see.
 */
class DumpWithoutClassesTest {
    @TempDir
    Path dir;

    @Test
    void valuesOfUnknownClassesShowTheirStoredFieldsAndEnumConstantsTheirNames() throws Exception {
        ClassLoader parent = getClass().getClassLoader();
        Class<?> shade = new ByteBuddy().makeEnumeration("DARK", "LIGHT").name("com.example.hidden.Shade").make()
                .load(parent, ClassLoadingStrategy.Default.WRAPPER).getLoaded();
        Class<?> gadget = new ByteBuddy().subclass(Object.class).name("com.example.hidden.Gadget")
                .defineField("name", String.class, Visibility.PUBLIC)
                .defineField("weight", int.class, Visibility.PUBLIC)
                .defineField("shade", shade, Visibility.PUBLIC)
                .make().load(shade.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER).getLoaded();
        Class<?> tags = new ByteBuddy().subclass(ArrayList.class).name("com.example.hidden.Tags").make()
                .load(parent, ClassLoadingStrategy.Default.WRAPPER).getLoaded();
        assertThrows(ClassNotFoundException.class, () -> Class.forName("com.example.hidden.Gadget", false, parent));

        Object g = gadget.getConstructor().newInstance();
        set(g, "name", "widget");
        set(g, "weight", 12);
        set(g, "shade", shade.getEnumConstants()[1]);
        @SuppressWarnings("unchecked")
        List<String> t = (List<String>) tags.getConstructor().newInstance();
        t.add("red");
        long otherOid;
        try (Database db = Database.open(dir)) {
            Connection conn = db.open();
            PersistentMap<String, Object> root = conn.root();
            root.put("gadget", g);
            PersistentMap<String, Object> other = new PersistentMap<>();
            other.put("tags", t);
            root.put("other", other);
            Transactions.commit();
            otherOid = Persistence.oid(other).getAsLong();
            conn.close();
        }

        Run root = Run.of("dump", dir.toString(), "0");
        assertEquals(Jodb.OK, root.status(), root::toString);
        assertTrue(root.out().contains("- \"gadget\": com.example.hidden.Gadget\n"
                + "      name = \"widget\"\n"
                + "      weight = 12\n"
                + "      shade = com.example.hidden.Shade.LIGHT\n"), root::toString);
        assertTrue(root.out().contains("- \"other\": -> oid " + otherOid + " (org.jodb.PersistentMap)"), root::toString);

        Run other = Run.of("dump", dir.toString(), Long.toString(otherOid));
        assertEquals(Jodb.OK, other.status(), other::toString);
        assertTrue(other.out().contains("(not read: field map of org.jodb.PersistentMap: com.example.hidden.Tags is not"
                + " on the class path, and its value is neither in a field layout nor an enum constant's name"), other::toString);
        assertTrue(other.out().contains("    0000  "), other::toString);
    }

    private static void set(Object o, String field, Object value) throws ReflectiveOperationException {
        Field f = o.getClass().getField(field);
        f.set(o, value);
    }
}
