package org.jodb.cli;

import java.util.Locale;
import java.util.ServiceLoader;

import org.jodb.Database;
import org.jodb.spi.Storage;
import org.jodb.spi.StorageProvider;
import org.jodb.spi.StorageUrls;

/**
 * A STORE named by URL ({@code jdbc:postgresql://host:port/db?user=...}) rather than by directory: opened through
 * the storage providers on the class path, as {@code Database.open(String)} does, and shown in every message
 * without its password.
 */
final class StoreUrl {
    /** What a command says in place of the file-level checks and figures a storage opened by URL does not have. */
    static final String NOT_A_FILE_STORE = "the file store's own checks (CRCs, the index) do not apply to a storage"
            + " opened by URL";

    final String url;

    private StoreUrl(String url) {
        this.url = url;
    }

    /** Whether {@code name} is a URL (a {@code jdbc:} one) rather than a directory. */
    static boolean isUrl(String name) {
        return name != null && name.strip().toLowerCase(Locale.ROOT).startsWith("jdbc:");
    }

    static StoreUrl of(String name) {
        return new StoreUrl(name.strip());
    }

    /** The URL fit for a message: the password of a {@code user:password@} part and password parameters as ***. */
    String shown() {
        return StorageUrls.redact(url);
    }

    /**
     * Opens a database on the URL's storage.
     *
     * @throws UserError when no provider accepts the URL or the storage cannot be opened, naming the URL redacted
     */
    Database openDatabase() {
        provider(); // this command's message when no provider opens the URL
        try {
            return Database.open(url);
        } catch (RuntimeException e) {
            throw cannotOpen(e);
        }
    }

    /**
     * Opens the URL's storage through the first provider on the class path that accepts it (what
     * {@code Database.open(String)} does), for a command that works on the storage itself (a copy).
     *
     * @throws UserError when no provider accepts the URL or the storage cannot be opened, naming the URL redacted
     */
    Storage openStorage() {
        StorageProvider provider = provider();
        try {
            return provider.open(url);
        } catch (RuntimeException e) {
            throw cannotOpen(e);
        }
    }

    /** The first provider on the class path that accepts the URL. */
    private StorageProvider provider() {
        StorageProvider provider = null;
        StringBuilder known = new StringBuilder();
        for (StorageProvider p : ServiceLoader.load(StorageProvider.class, StoreUrl.class.getClassLoader())) {
            known.append(known.length() == 0 ? "" : "; ").append(p.description());
            if (provider == null && p.accepts(url)) {
                provider = p;
            }
        }
        if (provider == null) {
            throw new UserError("no storage of this jodb opens the URL " + shown() + " (it opens: " + known
                    + "). Give a jdbc:postgresql://host:port/db?user=... URL or a store directory.");
        }
        return provider;
    }

    private UserError cannotOpen(RuntimeException e) {
        if (e instanceof IllegalArgumentException) { // no provider, or a malformed URL: the message says which
            return new UserError(withoutSecrets(e.getMessage()));
        }
        String why = withoutSecrets(e.getMessage()).strip();
        why = why.endsWith(".") ? why.substring(0, why.length() - 1) : why;
        String where = shown().replaceFirst("\\?.*", "");
        return new UserError((why.contains(where) ? why : "cannot open " + shown() + ": " + why) + ". Check that the"
                + " server runs, and the URL's host, port, database, user and password.");
    }

    /** A message from below, with this URL's password taken out should it appear. */
    String withoutSecrets(String message) {
        if (message == null) {
            return "(no message)";
        }
        String cleaned = message.replace(url, shown());
        String password = passwordOf(url);
        return password == null || password.isEmpty() ? cleaned : cleaned.replace(password, "***");
    }

    private static String passwordOf(String url) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)[?&;]password=([^&;#]*)").matcher(url);
        if (m.find()) {
            return m.group(1);
        }
        m = java.util.regex.Pattern.compile("//[^/@:?#]*:([^/@?#]*)@").matcher(url);
        return m.find() ? m.group(1) : null;
    }

    @Override
    public String toString() {
        return shown();
    }
}
