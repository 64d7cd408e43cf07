package org.jodb;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Database#open(String)} where no provider accepts the URL: core alone has none on its class path. */
class OpenByUrlTest {

    @Test
    void anUnknownSchemeIsRefusedNamingTheUrlAndWhatIsMissing() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Database.open("jdbc:postgresql://localhost:5432/app"));
        String message = refused.getMessage();
        assertTrue(message.contains("no storage on the class path opens the URL jdbc:postgresql://localhost:5432/app"),
                message);
        assertTrue(message.contains("there is no storage provider on the class path"), message);
        assertTrue(message.contains("org.jodb:jodb-postgres"), message);
        assertTrue(message.contains("Database.open(Path.of(...))"), message);
    }

    @Test
    void aDirectoryGivenAsAStringIsToldToUseOpenPath() {
        for (String notUrl : new String[] {"/var/lib/app/db", "data/db", "C:\\data\\db", ""}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> Database.open(notUrl));
            assertTrue(refused.getMessage().startsWith("not a storage URL: " + notUrl), refused.getMessage());
            assertTrue(refused.getMessage().contains("Database.open(Path.of(...))"), refused.getMessage());
        }
    }

    @Test
    void aPasswordInTheUrlNeverAppearsInTheMessage() {
        for (String url : new String[] {
                "jdbc:postgresql://db.example:5432/app?user=app&password=s3cret&ssl=true",
                "jdbc:postgresql://app:s3cret@db.example/app",
                "mysql://app:s3cret@db.example/app?sslpassword=s3cret"}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Database.open(url));
            assertFalse(refused.getMessage().contains("s3cret"), refused.getMessage());
            assertTrue(refused.getMessage().contains("***"), refused.getMessage());
        }
    }

    @Test
    void nullIsRefusedByName() {
        NullPointerException refused = assertThrows(NullPointerException.class, () -> Database.open((String) null));
        assertTrue(refused.getMessage().contains("url"), refused.getMessage());
    }
}
