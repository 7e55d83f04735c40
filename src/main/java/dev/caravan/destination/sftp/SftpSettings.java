package dev.caravan.destination.sftp;

import dev.caravan.model.Options;
import dev.caravan.model.Secret;
import dev.caravan.spi.Rules;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The validated options of one sftp destination. */
record SftpSettings(String name, String host, int port, String user, String path, Optional<Secret> password,
                    Optional<Secret> privateKey, Optional<Secret> passphrase, Path knownHosts, boolean strictHostKeyChecking) {

    /**
     * The rules of an sftp block (see {@link Rules}); {@link #from} refuses a block that breaks one.
     * With host key checking on, the known_hosts file must exist: without it every login is refused.
     */
    static List<String> problems(Options o) {
        Rules rules = new Rules()
                .rule(!o.has("password") && !o.has("privateKey"), "needs password or privateKey")
                .rule(o.has("privateKeyPassphrase") && !o.has("privateKey"), "privateKeyPassphrase needs privateKey")
                .range(o, "port", 1, 65535);
        if (o.bool("strictHostKeyChecking", true)) {
            Path knownHosts = knownHosts(o);
            rules.rule(!Files.isRegularFile(knownHosts), "knownHosts file " + knownHosts + " does not exist, and host key checking"
                    + " refuses every server not in it; add the server's key with ssh-keyscan");
        }
        return rules.problems();
    }

    private static Path knownHosts(Options o) {
        return o.string("knownHosts").map(Path::of).orElseGet(() -> Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"));
    }

    static SftpSettings from(String name, Options o) {
        Rules.refuse("sftp '" + name + "'", problems(o));
        Path knownHosts = knownHosts(o);
        String path = o.string("path").orElseThrow();
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return new SftpSettings(name, o.string("host").orElseThrow(), o.integer("port", 22), o.string("user").orElseThrow(), path,
                o.secret("password"), o.secret("privateKey"), o.secret("privateKeyPassphrase"), knownHosts,
                o.bool("strictHostKeyChecking", true));
    }

    /** True when privateKey holds the key itself rather than the path of its file. */
    boolean keyIsInline() {
        return privateKey.map(k -> k.reveal().strip().startsWith("-----BEGIN")).orElse(false);
    }

    byte[] inlineKey() {
        return privateKey.orElseThrow().reveal().strip().concat("\n").getBytes(StandardCharsets.UTF_8);
    }

    /** {@code host:port}, for messages. */
    String address() {
        return host + ":" + port;
    }

    /** The remote path of a key: the destination's directory, then the key. */
    String remote(String key) {
        return path.equals("/") ? "/" + key : path + "/" + key;
    }

    /** Which options hold the login secret, for messages. */
    String credentialOptions() {
        return password.isPresent() && privateKey.isPresent() ? "password/privateKey" : password.isPresent() ? "password" : "privateKey";
    }
}
