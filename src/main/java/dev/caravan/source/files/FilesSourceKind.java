package dev.caravan.source.files;

import dev.caravan.model.SourceSpec;
import dev.caravan.source.Source;
import dev.caravan.source.SourceKind;
import dev.caravan.spi.OptionDef;

import java.util.List;

import static dev.caravan.spi.OptionDef.Type.BOOLEAN;
import static dev.caravan.spi.OptionDef.Type.PATH;
import static dev.caravan.spi.OptionDef.Type.STRINGS;

/** {@code files('chroma') { path '/data/chroma'; exclude '**}{@code /*.log', 'cache/**' }}. */
public final class FilesSourceKind implements SourceKind {
    static final List<OptionDef> OPTIONS = List.of(
            OptionDef.required("path", PATH, "Directory (or single file) to back up.", "'/data2/rpger/chroma'"),
            OptionDef.optional("include", STRINGS, "Glob(s), relative to path; when given, only matching files are taken.", "'**/*.json'"),
            OptionDef.optional("exclude", STRINGS, "Glob(s), relative to path, left out; a matching directory is skipped whole.", "'**/*.log', 'cache/**'"),
            OptionDef.optional("sqliteSnapshots", BOOLEAN, "Store each SQLite database found in the tree (recognised by its header) as a consistent online-backup snapshot, without its -wal/-shm files (default true); false copies the live bytes.", "false"));

    @Override
    public String kind() {
        return "files";
    }

    @Override
    public String description() {
        return "A directory tree, stored as a POSIX (PAX) tar that keeps modes, mtimes, symlinks and empty directories.";
    }

    @Override
    public boolean drillCountsFiles() {
        return true;
    }

    @Override
    public List<OptionDef> options() {
        return OPTIONS;
    }

    @Override
    public List<String> rules() {
        return List.of(
                "include and exclude are valid globs (every '[' and '{' closed).");
    }

    @Override
    public List<String> problems(SourceSpec spec) {
        return PathFilter.problems(spec.options().strings("include"), spec.options().strings("exclude"));
    }

    @Override
    public Source create(SourceSpec spec) {
        return new FilesSource(spec.name(), spec.options());
    }
}
