package org.jodb.bench;

/** Makes the adapter for a store name. */
final class Stores {
    private Stores() {
    }

    static Store create(String name) {
        return switch (name) {
            case "mvstore" -> new MvStoreStore();
            case "eclipsestore" -> new EclipseStoreStore();
            case "mapdb" -> new MapDbStore();
            case "jodb" -> jodb();
            default -> throw new IllegalArgumentException("unknown store '" + name + "'");
        };
    }

    /** Found by name so that the harness builds before jodb's public API does. */
    private static Store jodb() {
        try {
            return (Store) Class.forName("org.jodb.bench.JodbStore").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the jodb adapter is not compiled into this build"
                    + " (bench/src/jodb-pending/ is not on the source path yet): run without jodb in --stores", e);
        }
    }
}
