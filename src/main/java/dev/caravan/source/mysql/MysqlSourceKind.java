package dev.caravan.source.mysql;

import dev.caravan.model.Options;
import dev.caravan.model.SourceSpec;
import dev.caravan.source.Scratch;
import dev.caravan.source.Source;
import dev.caravan.source.SourceKind;
import dev.caravan.spi.OptionDef;
import dev.caravan.spi.Rules;

import java.util.List;
import java.util.Optional;

import static dev.caravan.spi.OptionDef.Type.INT;
import static dev.caravan.spi.OptionDef.Type.SECRET;
import static dev.caravan.spi.OptionDef.Type.STRING;

/** {@code mysql('shop') { host 'localhost'; database 'shop'; user 'backup'; password secret('/etc/caravan/mysql.pw') }}. */
public final class MysqlSourceKind implements SourceKind {
    static final List<OptionDef> OPTIONS = List.of(
            OptionDef.optional("host", STRING, "Server host name or address (TCP); leave out to use the local socket.", "'localhost'"),
            OptionDef.optional("port", INT, "Server TCP port (default 3306).", "3306"),
            OptionDef.required("database", STRING, "Database (schema) to dump; also the default restore target.", "'shop'"),
            OptionDef.optional("user", STRING, "Account to connect as.", "'backup'"),
            OptionDef.optional("password", SECRET, "Password of the account; passed to the client in a private temporary option file, never on its command line.", "secret('/etc/caravan/mysql.pw')"),
            OptionDef.optional("socket", STRING, "Unix socket of a local server; used instead of host and port.", "'/run/mysqld/mysqld.sock'"));

    @Override
    public String kind() {
        return "mysql";
    }

    @Override
    public String description() {
        return "A MariaDB or MySQL database dumped as SQL by mariadb-dump/mysqldump in one transaction (--single-transaction), with routines, triggers and events.";
    }

    @Override
    public Scratch drillScratch(SourceSpec spec) {
        return new MysqlScratch(spec);
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
    public List<String> rules() {
        return List.of(
                "port is from 1 to 65535.",
                "socket replaces host and port: give one or the other.");
    }

    @Override
    public List<String> problems(SourceSpec spec) {
        return rules(spec.options());
    }

    /** The rules of a mysql block (see {@link Rules}); {@link MysqlSource} refuses a block that breaks one. */
    static List<String> rules(Options o) {
        return new Rules()
                .range(o, "port", 1, 65535)
                .rule(o.has("socket") && (o.has("host") || o.has("port")), "socket is used instead of host and port; give one or the other")
                .problems();
    }

    @Override
    public Source create(SourceSpec spec) {
        return new MysqlSource(spec.name(), spec.options());
    }
}
