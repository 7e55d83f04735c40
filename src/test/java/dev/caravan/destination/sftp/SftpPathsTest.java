package dev.caravan.destination.sftp;

import dev.caravan.destination.Destination;
import dev.caravan.model.DestinationSpec;
import dev.caravan.model.Options;
import dev.caravan.model.Secret;
import dev.caravan.pipeline.Publisher;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.nativefs.NativeFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Against an SFTP server whose login directory is not its root (as with OpenSSH: /home/backup):
 * an absolute {@code path} means that absolute directory, a relative one is under the login
 * directory, and reads, listings and deletes find what the Camel route wrote.
 */
class SftpPathsTest {
    @TempDir
    Path tmp;
    SshServer sshd;
    Path knownHosts;
    CamelContext camel;

    @BeforeEach
    void start() throws Exception {
        sshd = SshServer.setUpDefaultServer();
        sshd.setHost("127.0.0.1");
        sshd.setPort(0);
        sshd.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(tmp.resolve("hostkey.ser")));
        sshd.setPasswordAuthenticator((user, password, session) -> "backup".equals(user) && "pw".equals(password));
        sshd.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        NativeFileSystemFactory fs = new NativeFileSystemFactory(true);
        fs.setUsersHomeDir(tmp.resolve("home").toString());
        sshd.setFileSystemFactory(fs);
        sshd.start();
        KeyPair hostKey = sshd.getKeyPairProvider().loadKeys(null).iterator().next();
        knownHosts = Files.writeString(tmp.resolve("known_hosts"),
                "[127.0.0.1]:" + sshd.getPort() + " " + PublicKeyEntry.toString(hostKey.getPublic()) + "\n");
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterEach
    void stop() throws Exception {
        camel.stop();
        sshd.stop(true);
    }

    private Destination sftp(String path) {
        return new SftpDestinationKind().create(new DestinationSpec("sftp", "offsite", 1, new Options(Map.of(
                "host", "127.0.0.1", "port", sshd.getPort(), "user", "backup", "path", path,
                "password", new Secret("pw", "test"), "knownHosts", knownHosts.toString()))));
    }

    private void roundTrip(Destination d, Path expectedFile) throws Exception {
        Publisher publisher = new Publisher(camel);
        Path f = Files.writeString(tmp.resolve("object"), "payload");
        publisher.save(publisher.register("p", d), "p/1/a.tar", f);
        assertThat(expectedFile).hasContent("payload");
        assertThat(d.list("p/")).extracting(Destination.StoredObject::key).containsExactly("p/1/a.tar");
        try (var in = d.open("p/1/a.tar")) {
            assertThat(new String(in.readAllBytes())).isEqualTo("payload");
        }
        d.delete("p/1/a.tar");
        assertThat(expectedFile).doesNotExist();
    }

    @Test
    void an_absolute_path_is_that_directory_on_the_server() throws Exception {
        Path abs = tmp.resolve("srv/backups");
        roundTrip(sftp(abs.toString()), abs.resolve("p/1/a.tar"));
    }

    @Test
    void a_relative_path_is_under_the_login_directory() throws Exception {
        // MINA's native file system takes the server process's working directory as the login directory
        String rel = "target/sftp-relative-" + System.nanoTime();
        Path login = Path.of(System.getProperty("user.dir"));
        try {
            roundTrip(sftp(rel + "/backups"), login.resolve(rel).resolve("backups/p/1/a.tar"));
        } finally {
            try (var walk = Files.walk(login.resolve(rel))) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
