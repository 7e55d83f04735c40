package dev.caravan.source.sqlite;

import dev.caravan.model.SourceSpec;
import dev.caravan.source.Scratch;
import dev.caravan.source.Source;
import dev.caravan.source.SourceKind;
import dev.caravan.spi.OptionDef;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import static dev.caravan.spi.OptionDef.Type.STRING;

/** {@code sqlite('prompts') { path '/srv/app/backup.db' }}. */
public final class SqliteSourceKind implements SourceKind {
    static final List<OptionDef> OPTIONS = List.of(
            OptionDef.required("path", STRING, "The database file; also where a restore without --to writes it back.", "'/srv/app/backup.db'"));

    @Override
    public String kind() {
        return "sqlite";
    }

    @Override
    public String description() {
        return "A SQLite database copied with SQLite's online backup API: a consistent database file, even while the application writes.";
    }

    @Override
    public Scratch drillScratch(SourceSpec spec) throws IOException {
        return new SqliteScratch(spec);
    }

    @Override
    public Optional<String> drillQuery() {
        return Optional.of("SQL");
    }

    @Override
    public List<OptionDef> options() {
        return OPTIONS;
    }

    @Override
    public Source create(SourceSpec spec) {
        return new SqliteSource(spec.name(), spec.options());
    }
}
