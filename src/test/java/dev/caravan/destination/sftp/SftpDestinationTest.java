package dev.caravan.destination.sftp;

import dev.caravan.destination.Destination;
import dev.caravan.destination.DestinationContract;
import dev.caravan.model.DestinationSpec;
import dev.caravan.model.Options;
import dev.caravan.model.Secret;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.config.keys.AuthorizedKeysAuthenticator;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Against Apache MINA SSHD's SFTP server embedded on loopback, with a real host key and known_hosts file. */
class SftpDestinationTest extends DestinationContract {
    private static final String USER = "backup";
    private static final String PASSWORD = "pa&ss+w%rd =x";
    private static final AtomicInteger DIRS = new AtomicInteger();
    private static SshServer sshd;
    private static Path root;
    private static Path knownHosts;
    private static Path userKey;
    private static int port;

    @BeforeAll
    static void startSshd() throws Exception {
        Path dir = Files.createTempDirectory("caravan-sshd");
        root = Files.createDirectories(dir.resolve("root"));
        userKey = dir.resolve("id_ed25519");
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "caravan-test", "-f", userKey.toString())
                .redirectErrorStream(true).start();
        assertThat(keygen.waitFor(30, TimeUnit.SECONDS) && keygen.exitValue() == 0)
                .as("ssh-keygen: " + new String(keygen.getInputStream().readAllBytes())).isTrue();

        sshd = SshServer.setUpDefaultServer();
        sshd.setHost("127.0.0.1");
        sshd.setPort(0);
        sshd.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(dir.resolve("hostkey.ser")));
        sshd.setPasswordAuthenticator((user, password, session) -> USER.equals(user) && PASSWORD.equals(password));
        sshd.setPublickeyAuthenticator(new AuthorizedKeysAuthenticator(Path.of(userKey + ".pub")));
        sshd.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        sshd.setFileSystemFactory(new VirtualFileSystemFactory(root));
        sshd.start();
        port = sshd.getPort();

        KeyPair hostKey = sshd.getKeyPairProvider().loadKeys(null).iterator().next();
        knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(hostKey.getPublic()) + "\n");
    }

    @AfterAll
    static void stopSshd() throws Exception {
        if (sshd != null) {
            sshd.stop(true);
        }
    }

    private static Destination sftp(String name, Object... more) {
        Map<String, Object> m = new LinkedHashMap<>(Map.of("host", "127.0.0.1", "port", port, "user", USER,
                "path", "/backups/t" + DIRS.incrementAndGet(), "knownHosts", knownHosts.toString()));
        for (int i = 0; i < more.length; i += 2) {
            m.put((String) more[i], more[i + 1]);
        }
        return new SftpDestinationKind().create(new DestinationSpec("sftp", name, 1, new Options(m)));
    }

    @Override
    protected Destination newDestination() {
        return sftp("offsite", "password", new Secret(PASSWORD, "test"));
    }

    /** camel-ftp's sftp producer writes {@code <dir>/.partial-<name>} and renames it when done. */
    @Override
    protected boolean leavePartialWrite(Destination d, String key) throws Exception {
        String dir = d.describe().substring(d.describe().lastIndexOf(':') + 1);
        Path p = root.resolve(dir.substring(1)).resolve(key);
        Path partial = p.resolveSibling(SftpDestination.TEMP_PREFIX + p.getFileName());
        Files.createDirectories(partial.getParent());
        Files.writeString(partial, "half");
        return true;
    }

    @Test
    void a_host_key_missing_from_known_hosts_is_refused() throws Exception {
        Path empty = Files.writeString(scratch.resolve("known_hosts"), "");
        assertRefusedWith(sftp("offsite", "password", new Secret(PASSWORD, "test"), "knownHosts", empty.toString()),
                "sftp 'offsite': host key of 127.0.0.1:" + port + " is not in " + empty);
    }

    @Test
    void an_unknown_host_is_accepted_only_when_checking_is_turned_off_explicitly() throws Exception {
        Path empty = Files.writeString(scratch.resolve("known_hosts"), "");
        Destination d = sftp("offsite", "password", new Secret(PASSWORD, "test"), "knownHosts", empty.toString(),
                "strictHostKeyChecking", false);
        publisher.save(publisher.register("p", d), "p/1/a", randomFile("a", 100, 1));
        assertThat(d.list("p/")).extracting(Destination.StoredObject::key).containsExactly("p/1/a");
    }

    @Test
    void wrong_password_is_one_sentence_naming_the_destination_and_user() throws Exception {
        assertRefusedWith(sftp("offsite", "password", new Secret("not-it", "test")),
                "sftp 'offsite': login as 'backup' refused by 127.0.0.1:" + port + " (check password)");
    }

    @Test
    void an_ed25519_key_works_from_a_file_and_inline() throws Exception {
        Path f = randomFile("k.bin", 200_000, 3);
        for (Destination d : List.of(
                sftp("key-file", "privateKey", new Secret(userKey.toString(), "test")),
                sftp("key-inline", "privateKey", new Secret(Files.readString(userKey), "test")))) {
            publisher.save(publisher.register("p", d), "p/1/k.bin", f);
            try (InputStream in = d.open("p/1/k.bin")) {
                assertThat(sha256(in)).isEqualTo(sha256(Files.newInputStream(f)));
            }
        }
    }

    @Test
    void a_file_left_in_flight_is_not_listed() throws Exception {
        Destination d = newDestination();
        publisher.save(publisher.register("p", d), "p/1/a", randomFile("a", 10, 4));
        String dir = d.describe().substring(d.describe().lastIndexOf(':') + 1);
        Files.writeString(root.resolve(dir.substring(1)).resolve("p/1/" + SftpDestination.TEMP_PREFIX + "b"), "half");

        assertThat(d.list("")).extracting(Destination.StoredObject::key).containsExactly("p/1/a");
    }
}
