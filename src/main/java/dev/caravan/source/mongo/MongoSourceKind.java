package dev.caravan.source.mongo;

import dev.caravan.model.SourceSpec;
import dev.caravan.source.Scratch;
import dev.caravan.source.Source;
import dev.caravan.source.SourceKind;
import dev.caravan.spi.OptionDef;

import java.util.List;
import java.util.Optional;

import static dev.caravan.spi.OptionDef.Type.SECRET;
import static dev.caravan.spi.OptionDef.Type.STRING;
import static dev.caravan.spi.OptionDef.Type.STRINGS;

/** {@code mongo('sessions') { uri env('MONGO_URI'); database 'game'; collections 'players', 'guilds' }}. */
public final class MongoSourceKind implements SourceKind {
    static final List<OptionDef> OPTIONS = List.of(
            OptionDef.optional("uri", SECRET, "Connection string (default mongodb://localhost:27017); may carry the user and password, so it can come from env() or secret().", "env('MONGO_URI')"),
            OptionDef.required("database", STRING, "The database to dump; also where a restore without --to writes it back.", "'game'"),
            OptionDef.optional("collections", STRINGS, "Only these collections (default: every collection of the database).", "'players', 'guilds'"));

    @Override
    public String kind() {
        return "mongo";
    }

    @Override
    public String description() {
        return "A MongoDB database in mongodump's directory layout (BSON and metadata JSON with indexes per collection) as a tar; mongodump when installed, the Java driver otherwise.";
    }

    @Override
    public Scratch drillScratch(SourceSpec spec) {
        return new MongoScratch(spec);
    }

    @Override
    public Optional<String> drillQuery() {
        return Optional.of("a collection name (its documents are counted)");
    }

    @Override
    public List<OptionDef> options() {
        return OPTIONS;
    }

    @Override
    public List<String> rules() {
        return List.of(
                "uri is a connection string the driver takes (mongodb://... or mongodb+srv://...).");
    }

    @Override
    public List<String> problems(SourceSpec spec) {
        return MongoConnection.problem(spec.options().string("uri", MongoConnection.DEFAULT_URI)).stream().toList();
    }

    @Override
    public Source create(SourceSpec spec) {
        return new MongoSource(spec.name(), spec.options());
    }
}
