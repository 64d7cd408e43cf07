package org.jodb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How the command tells a URL from a directory, and what of a URL its messages show. */
class StoreUrlTest {

    @Test
    void aJdbcUrlIsAUrlAndAPathIsNot() {
        assertTrue(StoreUrl.isUrl("jdbc:postgresql://h/db"));
        assertTrue(StoreUrl.isUrl(" JDBC:postgresql://h/db"));
        assertFalse(StoreUrl.isUrl("/var/lib/store"));
        assertFalse(StoreUrl.isUrl("jdbc-store"));
    }

    @Test
    void passwordsAreShownAsStars() {
        assertEquals("jdbc:postgresql://h:5432/db?user=app&password=***&jodbSchema=s",
                StoreUrl.of("jdbc:postgresql://h:5432/db?user=app&password=s3cr3t&jodbSchema=s").shown());
        assertEquals("jdbc:postgresql://app:***@h/db", StoreUrl.of("jdbc:postgresql://app:s3cr3t@h/db").shown());
        assertEquals("jdbc:postgresql://h/db?sslpassword=***",
                StoreUrl.of("jdbc:postgresql://h/db?sslpassword=k").shown());
    }

    @Test
    void aMessageFromBelowLosesThePassword() {
        StoreUrl url = StoreUrl.of("jdbc:postgresql://h/db?user=app&password=s3cr3t");
        String message = url.withoutSecrets("failed for " + url.url + " with s3cr3t");
        assertEquals("failed for jdbc:postgresql://h/db?user=app&password=*** with ***", message);
    }
}
