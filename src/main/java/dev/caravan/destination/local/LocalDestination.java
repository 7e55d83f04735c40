package dev.caravan.destination.local;

import dev.caravan.destination.Destination;
import dev.caravan.io.Failures;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A directory. Objects are published by Camel's file component ({@code routes/destination-local.yaml})
 * under a {@value #TEMP_PREFIX} name and renamed into place, so a listed object is always whole.
 */
public final class LocalDestination implements Destination {
    /** Prefix of in-flight files; never listed by {@link #list}, listed by {@link #listPartial} and removed by {@code prune}. */
    public static final String TEMP_PREFIX = ".partial-";

    private final String name;
    private final Path root;

    public LocalDestination(String name, Path root) {
        this.name = name;
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String describe() {
        return "local " + root;
    }

    /** {@code local 'nas': Cannot store file: /mnt/nas/...: No space left on device}. */
    @Override
    public String sentence(Throwable t) {
        return Failures.sentence("local '" + name + "'", t);
    }

    @Override
    public String routeTemplate() {
        return "caravan-destination-local";
    }

    @Override
    public Map<String, Object> templateParameters() {
        return Map.of("directory", root.toString(), "tempPrefix", TEMP_PREFIX);
    }

    /** Camel's file component renames the spool into place (copying only across file systems). */
    @Override
    public boolean takesSpoolByMove() {
        return true;
    }

    @Override
    public InputStream open(String key) throws IOException {
        Path p = resolve(key);
        if (!Files.isRegularFile(p)) {
            throw new NoSuchFileException(describe() + ": no object " + key);
        }
        return Files.newInputStream(p);
    }

    @Override
    public List<StoredObject> list(String prefix) throws IOException {
        return walk(prefix, false);
    }

    /** The {@value #TEMP_PREFIX} files a write that died left (the file component names them so). */
    @Override
    public List<StoredObject> listPartial(String prefix) throws IOException {
        return walk(prefix, true);
    }

    /** Files under {@code prefix}: the published ones, or only the in-flight ones. */
    private List<StoredObject> walk(String prefix, boolean partial) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<StoredObject> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().startsWith(TEMP_PREFIX) == partial)
                    .forEach(p -> {
                        String key = root.relativize(p).toString().replace('\\', '/');
                        if (key.startsWith(prefix)) {
                            try {
                                out.add(new StoredObject(key, Files.size(p)));
                            } catch (NoSuchFileException gone) {
                                // deleted (or renamed into place) while listing: not there any more
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }
                    });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        out.sort(Comparator.comparing(StoredObject::key));
        return out;
    }

    @Override
    public void delete(String key) throws IOException {
        Path p = resolve(key);
        Files.deleteIfExists(p);
        // tidy empty directories up to the root
        for (Path dir = p.getParent(); dir != null && !dir.equals(root) && dir.startsWith(root); dir = dir.getParent()) {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    break;
                }
            } catch (NoSuchFileException e) {
                continue;
            }
            Files.deleteIfExists(dir);
        }
    }

    private Path resolve(String key) throws IOException {
        Path p = root.resolve(key).normalize();
        if (!p.startsWith(root)) {
            throw new IOException(describe() + ": key escapes the destination: " + key);
        }
        return p;
    }
}
