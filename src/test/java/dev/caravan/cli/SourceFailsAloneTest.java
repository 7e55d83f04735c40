package dev.caravan.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** One source failing (its dump command fails) never stops the other sources' objects; the run says which, once. */
class SourceFailsAloneTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void setUp() {
        System.setProperty("caravan.state.dir", tmp.resolve("state").toString());
        System.setProperty("caravan.work.dir", tmp.resolve("work").toString());
    }

    @AfterEach
    void tearDown() {
        System.clearProperty("caravan.state.dir");
        System.clearProperty("caravan.work.dir");
    }

    @Test
    void a_failing_source_fails_alone_and_the_other_sources_objects_are_stored_at_every_destination() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("a.txt"), "alpha\n".repeat(1000));
        Path plan = tmp.resolve("plan.groovy");
        Files.writeString(plan, """
                backup('app') {
                    sources {
                        command('broken') { run 'sh', '-c', 'echo no such database >&2; exit 3' }
                        files('tree') { path '%s' }
                    }
                    destinations { local('nas') { path '%s' }; local('usb') { path '%s' } }
                    verify { afterUpload true }
                }
                """.formatted(data, tmp.resolve("nas"), tmp.resolve("usb")));
        CliRunner.Result now = CliRunner.run("now", plan.toString());
        assertThat(now.exit()).as(now.toString()).isEqualTo(1);
        assertThat(now.out()).contains("source broken: FAILED: command 'broken': ").contains("source tree: tree.tar.zst");
        assertThat(now.out().lines().filter(l -> l.contains("command 'broken': command 'broken'"))).isEmpty();
        assertThat(now.toString()).doesNotContain("Exception occurred during execution on the exchange");
        for (String d : new String[] {"nas", "usb"}) {
            try (Stream<Path> s = Files.walk(tmp.resolve(d))) {
                assertThat(s.map(p -> p.getFileName().toString())).as(d).contains("tree.tar.zst").doesNotContain("manifest.json");
            }
        }
    }
}
