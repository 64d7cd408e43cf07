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
            case "jodb" -> JodbStore.persistentMap();
            case "jodb-tree" -> JodbStore.persistentTreeMap();
            case "jodb-postgres" -> JodbStore.postgres(PostgresServerUrl.get());
            case "jodb-postgres-prefetch" -> JodbStore.postgresPrefetching(PostgresServerUrl.get());
            case "jdbc-postgres" -> new JdbcPostgresStore(PostgresServerUrl.get());
            default -> throw new IllegalArgumentException("unknown store '" + name + "'");
        };
    }
}
