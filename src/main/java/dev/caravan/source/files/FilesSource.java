package dev.caravan.source.files;

import dev.caravan.model.Options;
import dev.caravan.source.RestoreRequest;
import dev.caravan.source.Source;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** SKELETON: being written (tar via Commons Compress). */
public final class FilesSource implements Source {
    private final String name;
    private final Options options;

    public FilesSource(String name, Options options) {
        this.name = name;
        this.options = options;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String extension() {
        return "tar";
    }

    @Override
    public String toolVersion() {
        return "caravan-tar 1";
    }

    @Override
    public void dump(OutputStream out) throws IOException {
        throw new UnsupportedOperationException("files source " + name + " at " + options.string("path", "?"));
    }

    @Override
    public void restore(InputStream in, RestoreRequest request) throws IOException {
        throw new UnsupportedOperationException("files source");
    }
}
