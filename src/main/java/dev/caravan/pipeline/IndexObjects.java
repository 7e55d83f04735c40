package dev.caravan.pipeline;

import dev.caravan.backup.Layout;
import dev.caravan.destination.Destination;
import dev.caravan.format.Age;
import dev.caravan.format.Compressor;
import dev.caravan.format.Compressors;
import dev.caravan.model.Compression;
import dev.caravan.model.Plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Stores the file index an incremental source wrote beside its object, compressed and encrypted
 * like it ({@code <source>.index.jsonl.zst.age}), at every destination that took the object, and
 * reads it back when the plan verifies uploads. A destination that misses it gets no manifest.
 */
final class IndexObjects {
    private IndexObjects() {
    }

    static void publish(Engine engine, Plan plan, RunState run, SourceJob job) {
        Compression c = plan.compression();
        Compressor compressor = Compressors.get(c.algorithm());
        StreamPipe pipe = new StreamPipe(out -> Files.copy(job.indexFile(), out)).then(out -> compressor.compress(out, c.level(), c.threads()));
        if (plan.encryption().enabled()) {
            pipe.then(out -> Age.encrypt(out, plan.encryption()));
        }
        Path file = run.workDir.resolve(job.indexObject());
        String key = Layout.object(plan.name(), run.id, job.indexObject());
        try {
            StreamPipe.Spooled spooled = pipe.spool(file);
            job.indexSpooled(spooled);
            for (Map.Entry<String, Destination> d : run.destinations.entrySet()) {
                if (!job.isStoredAt(d.getKey())) {
                    continue;
                }
                try {
                    engine.publisher().save(run.routeIds.get(d.getKey()), key, file);
                    if (plan.verify().afterUpload()) {
                        Optional<String> problem = d.getValue().verifyUpload(key, file, spooled.bytes(), spooled.sha256());
                        problem.ifPresent(p -> job.failedAt(d.getKey(), "verify after upload: " + p));
                    }
                } catch (IOException | RuntimeException e) {
                    job.failedAt(d.getKey(), d.getValue().describe() + ": upload of " + job.indexObject() + " failed: "
                            + BackupRunner.message(e));
                }
            }
        } catch (IOException | RuntimeException e) {
            job.fail(job.spec().kind() + " '" + job.name() + "': index: " + BackupRunner.message(e));
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // removed with the work dir
            }
        }
    }
}
