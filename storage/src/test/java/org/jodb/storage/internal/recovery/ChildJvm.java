package org.jodb.storage.internal.recovery;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jodb.storage.internal.index.ChronicleFlags;

/** Starts {@link CrashWorker} in a child JVM with this JVM's class path. */
final class ChildJvm {

    private ChildJvm() {
    }

    static Process start(boolean withChronicleFlags, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx96m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Dchronicle.analytics.disable=true");
        if (withChronicleFlags) {
            command.addAll(ChronicleFlags.REQUIRED);
            command.add("--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED");
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CrashWorker.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }
}
