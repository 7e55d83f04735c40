package dev.caravan.testing;

import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.List;

/** Apache MINA SSHD's SFTP server embedded on loopback (password login), as in SftpDestinationTest, with a known_hosts file for it. */
public final class MinaSftpServer implements AutoCloseable {
    public static final String USER = "backup";
    public static final String PASSWORD = "sftp-test-password";

    private final SshServer sshd;
    private final Path root;
    private final Path knownHosts;

    private MinaSftpServer(SshServer sshd, Path root, Path knownHosts) {
        this.sshd = sshd;
        this.root = root;
        this.knownHosts = knownHosts;
    }

    public static MinaSftpServer start(Path dir) throws IOException, GeneralSecurityException {
        Path root = Files.createDirectories(dir.resolve("root"));
        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setHost("127.0.0.1");
        sshd.setPort(0);
        sshd.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(dir.resolve("hostkey.ser")));
        sshd.setPasswordAuthenticator((user, password, session) -> USER.equals(user) && PASSWORD.equals(password));
        sshd.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
        sshd.setFileSystemFactory(new VirtualFileSystemFactory(root));
        sshd.start();
        KeyPair hostKey = sshd.getKeyPairProvider().loadKeys(null).iterator().next();
        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, "[127.0.0.1]:" + sshd.getPort() + " " + PublicKeyEntry.toString(hostKey.getPublic()) + "\n");
        return new MinaSftpServer(sshd, root, knownHosts);
    }

    public int port() {
        return sshd.getPort();
    }

    public Path knownHosts() {
        return knownHosts;
    }

    /** The directory the server shows as {@code /}. */
    public Path root() {
        return root;
    }

    @Override
    public void close() throws IOException {
        sshd.stop(true);
    }
}
