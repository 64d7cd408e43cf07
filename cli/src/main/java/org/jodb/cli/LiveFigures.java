package org.jodb.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import javax.management.Attribute;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;

/**
 * The runtime figures of the database that has a store open (commits, conflicts, cache, ...), read from the
 * {@code org.jodb:type=Database} MBean its process registered with {@code Database.registerMBean()}: in this
 * JVM from the platform MBean server, in another through the JDK's Attach API, which starts that JVM's local
 * JMX agent. The process is the one whose id the store's lock file holds. Each failure on the way becomes a
 * sentence saying why there are no figures and what to do.
 */
final class LiveFigures {
    /** One figure: the MBean attribute, its key in {@code --json}, and its label in text. */
    record Figure(String attribute, String key, String label) {
    }

    /** The figures shown, in order. */
    static final List<Figure> FIGURES = List.of(
            new Figure("Commits", "commits", "commits"),
            new Figure("Conflicts", "conflicts", "conflicts"),
            new Figure("Retries", "retries", "retries of run"),
            new Figure("GiveUps", "giveUps", "give-ups of run"),
            new Figure("RecordsLoaded", "recordsLoaded", "records loaded"),
            new Figure("RecordsStored", "recordsStored", "records stored"),
            new Figure("CacheHits", "cacheHits", "cache hits"),
            new Figure("CacheHitRate", "cacheHitRate", "cache hit rate"),
            new Figure("CachedObjects", "cachedObjects", "cached objects"),
            new Figure("OpenConnections", "openConnections", "open connections"),
            new Figure("Packs", "packs", "packs"),
            new Figure("PacksRunning", "packsRunning", "packs running"));

    /**
     * What was found.
     *
     * @param pid     the process that has the store open, or -1 when unknown
     * @param mbean   the MBean read, or {@code null} when none
     * @param figures {@link Figure#key} to value, in that order; empty when none
     * @param why     when there are no figures: why, and the remedy
     */
    record Result(long pid, String mbean, Map<String, Object> figures, String why) {
    }

    private LiveFigures() {
    }

    /** The figures of the process that has {@code store} open ({@code owner} says which one). */
    static Result of(StoreDir store, StoreDir.Owner owner) {
        if (owner == StoreDir.Owner.THIS_PROCESS) {
            long pid = ProcessHandle.current().pid();
            try {
                return read(ManagementFactory.getPlatformMBeanServer(), store, pid, System.getProperty("user.dir"));
            } catch (IOException | JMException e) {
                return none(pid, "reading this process's jodb MBeans failed: " + e);
            }
        }
        OptionalLong found = store.ownerPid();
        if (found.isEmpty()) {
            return none(-1, "its lock file " + StoreDir.LOCK_FILE + " names no process (the store was opened by a"
                    + " jodb that does not record it there), so its runtime figures cannot be read here; open the"
                    + " process in JConsole instead");
        }
        long pid = found.getAsLong();
        if (ProcessHandle.of(pid).isEmpty()) {
            return none(pid, "its lock file names process " + pid + ", which is not running here (is the store on a"
                    + " disk another machine shares?)");
        }
        try {
            return attached(store, pid);
        } catch (LinkageError noAttachModule) {
            return none(pid, "this Java runtime lacks the JDK's Attach API (module jdk.attach): run jodb with a full"
                    + " JDK to see the runtime figures of process " + pid);
        }
    }

    private static Result attached(StoreDir store, long pid) {
        try (AttachedJvm jvm = AttachedJvm.attach(pid)) {
            return read(jvm.server, store, pid, jvm.userDir);
        } catch (UserError e) {
            return none(pid, e.getMessage());
        } catch (IOException | JMException | RuntimeException e) {
            return none(pid, "reading the jodb MBeans of process " + pid + " failed (" + e + "): open the process in"
                    + " JConsole instead");
        }
    }

    /**
     * Reads the figures of the MBean whose storage is {@code store}; {@code userDir} is that process's working
     * directory, against which a storage name given as a relative path is resolved.
     */
    private static Result read(MBeanServerConnection server, StoreDir store, long pid, String userDir)
            throws IOException, JMException {
        Set<ObjectName> names = server.queryNames(new ObjectName("org.jodb:type=Database,*"), null);
        Path wanted = canonical(store.path);
        for (ObjectName name : names) {
            Object storageName = server.getAttribute(name, "StorageName");
            if (storageName instanceof String s && canonical(Path.of(userDir).resolve(s)).equals(wanted)) {
                String[] asked = FIGURES.stream().map(Figure::attribute).toArray(String[]::new);
                Map<String, Object> byAttribute = new LinkedHashMap<>();
                for (Attribute a : server.getAttributes(name, asked).asList()) {
                    byAttribute.put(a.getName(), a.getValue());
                }
                Map<String, Object> figures = new LinkedHashMap<>();
                for (Figure f : FIGURES) {
                    if (byAttribute.containsKey(f.attribute())) { // another version's MBean may lack some
                        figures.put(f.key(), byAttribute.get(f.attribute()));
                    }
                }
                return new Result(pid, name.toString(), figures, null);
            }
        }
        String others = names.isEmpty() ? "no jodb MBean" : "jodb MBeans only for other stores (" + names + ")";
        return none(pid, "process " + pid + " registered " + others + ": call db.registerMBean() on its Database"
                + " after Database.open to see its runtime figures here and in JConsole");
    }

    private static Path canonical(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException gone) {
            return p.toAbsolutePath().normalize();
        }
    }

    private static Result none(long pid, String why) {
        return new Result(pid, null, Map.of(), why);
    }
}
