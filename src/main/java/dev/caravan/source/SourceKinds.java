package dev.caravan.source;

import dev.caravan.source.command.CommandSourceKind;
import dev.caravan.source.files.FilesSourceKind;
import dev.caravan.source.mongo.MongoSourceKind;
import dev.caravan.source.mysql.MysqlSourceKind;
import dev.caravan.source.postgres.PostgresSourceKind;
import dev.caravan.source.redis.RedisSourceKind;
import dev.caravan.source.sqlite.SqliteSourceKind;

import java.util.List;
import java.util.Optional;

/** Every source kind Caravan knows. Adding a kind: one folder under source/, one line here, the DSL reference. */
public final class SourceKinds {
    private static final List<SourceKind> ALL = List.of(
            new FilesSourceKind(),
            new PostgresSourceKind(),
            new MysqlSourceKind(),
            new RedisSourceKind(),
            new MongoSourceKind(),
            new SqliteSourceKind(),
            new CommandSourceKind());

    private SourceKinds() {
    }

    public static List<SourceKind> all() {
        return ALL;
    }

    public static Optional<SourceKind> find(String kind) {
        return ALL.stream().filter(k -> k.kind().equals(kind)).findFirst();
    }

    public static List<String> names() {
        return ALL.stream().map(SourceKind::kind).toList();
    }
}
