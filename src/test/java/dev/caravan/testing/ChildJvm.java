package dev.caravan.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command that starts a child JVM from a test (a {@code caravan} process, S3Proxy): this JVM's
 * {@code java}, with options for a short-lived, mostly idle process. C1 only and the serial
 * collector: such a JVM spends most of its CPU compiling and collecting at start, and on this
 * suite's two cores these options about halve that (a {@code caravan check} JVM: 5 s of CPU to
 * 2.5 s). They change how fast the process runs, not what it does.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** {@code java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC}, then {@code args}. */
    public static List<String> java(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        command.addAll(List.of(args));
        return command;
    }
}
