package org.jodb.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The one redaction of storage URLs: every form of password hidden, nothing else touched. */
class StorageUrlsTest {

    @Test
    void hidesPasswordParametersOfAnyCaseAndSeparator() {
        assertEquals("jdbc:postgresql://h/db?user=u&password=***&sslpassword=***&sslmode=require",
                StorageUrls.redact("jdbc:postgresql://h/db?user=u&password=p&sslpassword=s&sslmode=require"));
        assertEquals("x://h/db?PassWord=***;client_secret=***;pwd=***",
                StorageUrls.redact("x://h/db?PassWord=a;client_secret=b;pwd=c"));
    }

    @Test
    void hidesTheWholeUserInfoPasswordEvenWithAtOrSlashInIt() {
        assertEquals("jdbc:postgresql://app:***@h:5432/db",
                StorageUrls.redact("jdbc:postgresql://app:s3cr3t@h:5432/db"));
        assertEquals("jdbc:postgresql://app:***@h/db?x=1",
                StorageUrls.redact("jdbc:postgresql://app:p@ss/w@h/db?x=1"));
    }

    @Test
    void leavesUrlsWithoutSecretsAlone() {
        assertEquals("jdbc:postgresql://h:5432/db?user=a@b.c",
                StorageUrls.redact("jdbc:postgresql://h:5432/db?user=a@b.c"));
        assertEquals("file:/srv/data", StorageUrls.redact("file:/srv/data"));
        assertEquals("jdbc:postgresql://app@h/db", StorageUrls.redact("jdbc:postgresql://app@h/db"));
        assertNull(StorageUrls.redact(null));
    }
}
