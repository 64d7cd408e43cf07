package org.jodb;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.regex.Pattern;
import org.jodb.spi.StorageProvider;
import org.jodb.spi.StorageUrls;

/**
 * Finds the {@link StorageProvider} that opens a URL or a directory among those on the class path (the
 * context class loader's and jodb's own), and words the error when none does.
 */
final class StorageProviders {

    /** A URL's scheme as RFC 3986 has it, then ':'; {@code jdbc:postgresql:} counts as one scheme. */
    private static final Pattern URL = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:.+");

    private StorageProviders() {
    }

    /** Every provider on the class path, each once. */
    static List<StorageProvider> all() {
        Map<Class<?>, StorageProvider> found = new IdentityHashMap<>();
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        for (ClassLoader loader : new ClassLoader[] {context, Database.class.getClassLoader()}) {
            if (loader == null) {
                continue;
            }
            for (StorageProvider provider : ServiceLoader.load(StorageProvider.class, loader)) {
                found.putIfAbsent(provider.getClass(), provider);
            }
        }
        return new ArrayList<>(found.values());
    }

    /** The first provider that accepts {@code url}. */
    static StorageProvider forUrl(String url) {
        List<StorageProvider> providers = all();
        for (StorageProvider provider : providers) {
            if (provider.accepts(url)) {
                return provider;
            }
        }
        String shown = StorageUrls.redact(url);
        String problem = URL.matcher(url).matches() && !looksLikeWindowsPath(url)
                ? "no storage on the class path opens the URL " + shown
                : "not a storage URL: " + shown + " (a URL starts with its scheme, such as"
                        + " jdbc:postgresql://host:5432/db or file:/path/to/dir)";
        throw new IllegalArgumentException(problem + "; " + listing(providers)
                + ". To open a directory on disk, use Database.open(Path.of(...)).");
    }

    /**
     * The provider that keeps its storage in a directory: the one whose class the system property
     * {@value StorageProvider#PATH_PROVIDER_PROPERTY} names when it is set, else the first.
     */
    static StorageProvider forPath() {
        List<StorageProvider> providers = all();
        String chosen = System.getProperty(StorageProvider.PATH_PROVIDER_PROPERTY, "").strip();
        for (StorageProvider provider : providers) {
            if (provider.opensPaths() && (chosen.isEmpty() || provider.getClass().getName().equals(chosen))) {
                return provider;
            }
        }
        if (!chosen.isEmpty()) {
            // a typo here would otherwise quietly send every directory to another storage than intended
            throw new IllegalStateException("the system property " + StorageProvider.PATH_PROVIDER_PROPERTY
                    + " names " + chosen + ", but no storage provider of that class on the class path opens"
                    + " directories; " + listing(providers) + ". Name one of them, or clear the property to use"
                    + " the first");
        }
        throw new IllegalStateException("no durable storage on the class path: Database.open(Path) needs the"
                + " jodb-storage artifact (org.jodb:jodb-storage); add it as a dependency, or use"
                + " Database.inMemory() or Database.open(Storage)");
    }

    private static String listing(List<StorageProvider> providers) {
        if (providers.isEmpty()) {
            return "there is no storage provider on the class path (add org.jodb:jodb-storage for the file"
                    + " store or org.jodb:jodb-postgres for PostgreSQL)";
        }
        StringBuilder text = new StringBuilder("the providers on the class path open: ");
        for (int i = 0; i < providers.size(); i++) {
            text.append(i == 0 ? "" : "; ").append(providers.get(i).description());
        }
        return text.toString();
    }

    private static boolean looksLikeWindowsPath(String text) {
        return text.length() >= 3 && Character.isLetter(text.charAt(0)) && text.charAt(1) == ':'
                && (text.charAt(2) == '\\' || text.charAt(2) == '/');
    }
}
