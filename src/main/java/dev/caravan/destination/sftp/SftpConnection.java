package dev.caravan.destination.sftp;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * One SSH session with an SFTP channel, for reads, listings and deletes. Uses JSch, the SSH library
 * camel-ftp publishes with, configured the same way (known hosts, strict checking, password or key).
 */
final class SftpConnection implements AutoCloseable {
    private final Session session;
    private final ChannelSftp sftp;

    private SftpConnection(Session session, ChannelSftp sftp) {
        this.session = session;
        this.sftp = sftp;
    }

    static SftpConnection open(SftpSettings s) throws JSchException {
        JSch jsch = new JSch();
        if (s.strictHostKeyChecking()) {
            jsch.setKnownHosts(s.knownHosts().toString());
        }
        if (s.privateKey().isPresent()) {
            byte[] pass = s.passphrase().map(p -> p.reveal().getBytes(java.nio.charset.StandardCharsets.UTF_8)).orElse(null);
            if (s.keyIsInline()) {
                jsch.addIdentity("caravan-" + s.name(), s.inlineKey(), null, pass);
            } else {
                jsch.addIdentity(s.privateKey().get().reveal().strip(), pass);
            }
        }
        Session session = jsch.getSession(s.user(), s.host(), s.port());
        session.setConfig("StrictHostKeyChecking", s.strictHostKeyChecking() ? "yes" : "no");
        s.password().ifPresent(p -> session.setPassword(p.reveal()));
        session.connect(30_000);
        try {
            ChannelSftp sftp = (ChannelSftp) session.openChannel("sftp");
            sftp.connect(30_000);
            return new SftpConnection(session, sftp);
        } catch (JSchException | RuntimeException e) {
            session.disconnect();
            throw e;
        }
    }

    ChannelSftp sftp() {
        return sftp;
    }

    /** A stream of a remote file that closes this connection when it is closed. */
    InputStream streamOwning(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    SftpConnection.this.close();
                }
            }
        };
    }

    @Override
    public void close() {
        sftp.disconnect();
        session.disconnect();
    }
}
