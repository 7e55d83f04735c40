package dev.caravan.source.redis;

import dev.caravan.model.Options;
import dev.caravan.model.SourceSpec;
import dev.caravan.source.Scratch;
import dev.caravan.source.Source;
import dev.caravan.source.SourceKind;
import dev.caravan.spi.OptionDef;
import dev.caravan.spi.Rules;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import static dev.caravan.spi.OptionDef.Type.INT;
import static dev.caravan.spi.OptionDef.Type.SECRET;
import static dev.caravan.spi.OptionDef.Type.STRING;

/** {@code redis('cache') { host 'localhost'; port 6379; password env('REDIS_PASSWORD') }}. */
public final class RedisSourceKind implements SourceKind {
    static final List<OptionDef> OPTIONS = List.of(
            OptionDef.optional("host", STRING, "Server host name or address (default localhost).", "'localhost'"),
            OptionDef.optional("port", INT, "Server port (default 6379).", "6379"),
            OptionDef.optional("user", STRING, "ACL user (Redis 6+); without it, the default user.", "'backup'"),
            OptionDef.optional("password", SECRET, "Password (requirepass or the ACL user's); handed to redis-cli through REDISCLI_AUTH, never on its command line.", "env('REDIS_PASSWORD')"));

    @Override
    public String kind() {
        return "redis";
    }

    @Override
    public String description() {
        return "A Redis server's whole data set as an RDB snapshot, taken over the replication protocol by redis-cli --rdb.";
    }

    @Override
    public Scratch drillScratch(SourceSpec spec) throws IOException {
        return RedisScratch.start(spec);
    }

    @Override
    public Optional<String> drillQuery() {
        return Optional.of("a redis-cli command such as \"dbsize\"");
    }

    @Override
    public List<OptionDef> options() {
        return OPTIONS;
    }

    @Override
    public List<String> rules() {
        return List.of(
                "port is from 1 to 65535.");
    }

    @Override
    public List<String> problems(SourceSpec spec) {
        return rules(spec.options());
    }

    /** The rules of a redis block (see {@link Rules}); {@link RedisSource} refuses a block that breaks one. */
    static List<String> rules(Options o) {
        return new Rules().range(o, "port", 1, 65535).problems();
    }

    @Override
    public Source create(SourceSpec spec) {
        return new RedisSource(spec.name(), spec.options());
    }
}
