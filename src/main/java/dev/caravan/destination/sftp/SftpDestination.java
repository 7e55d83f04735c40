package dev.caravan.destination.sftp;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchUnknownHostKeyException;
import com.jcraft.jsch.SftpException;
import dev.caravan.destination.Destination;
import dev.caravan.destination.DestinationException;
import dev.caravan.destination.RouteBeans;
import dev.caravan.io.Failures;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A directory on an SSH server. Objects are published by camel-ftp's sftp producer
 * ({@code routes/destination-sftp.yaml}) under a {@value #TEMP_PREFIX} name and renamed into place
 * when complete, so a listed object is always whole. The server's host key must be in knownHosts
 * unless strictHostKeyChecking is turned off explicitly.
 */
public final class SftpDestination implements Destination {
    static {
        // At every connect JSch tries each key exchange it may propose, post-quantum hybrids included, to
        // learn whether this JVM can do it: a key pair each, about 0.7 s of CPU per connection once warm
        // and 2-3 s on the first, for reads, listings and uploads alike. BouncyCastle, which provides
        // those, is always on Caravan's class path, so the answer never changes: skip the test. The
        // algorithms proposed, and so the one negotiated, stay the same.
        JSch.setConfig("CheckKexes", "");
    }

    /** Prefix of in-flight files; never listed by {@link #list}, listed by {@link #listPartial}. */
    public static final String TEMP_PREFIX = ".partial-";

    private final SftpSettings s;

    SftpDestination(SftpSettings settings) {
        this.s = settings;
    }

    @Override
    public String name() {
        return s.name();
    }

    @Override
    public String describe() {
        return "sftp " + s.user() + "@" + s.address() + ":" + s.path();
    }

    @Override
    public String routeTemplate() {
        return "caravan-destination-sftp";
    }

    @Override
    public void bind(CamelContext camel) {
        RouteBeans.bind(camel, bean("name"), RouteBeans.nameObject(Exchange.FILE_NAME, ""));
        RouteBeans.bind(camel, bean("failure"), RouteBeans.failure(this::sentence));
        // secrets go to the endpoint as registry references, so they never appear in an endpoint URI
        s.password().ifPresent(pw -> RouteBeans.bind(camel, bean("password"), pw.reveal()));
        s.passphrase().ifPresent(pp -> RouteBeans.bind(camel, bean("passphrase"), pp.reveal()));
        if (s.keyIsInline()) {
            RouteBeans.bind(camel, bean("key"), s.inlineKey());
        }
    }

    @Override
    public Map<String, Object> templateParameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("host", s.host());
        p.put("port", s.port());
        p.put("user", s.user());
        p.put("directory", camelDirectory());
        p.put("knownHosts", s.knownHosts().toString());
        p.put("strictHostKeyChecking", s.strictHostKeyChecking() ? "yes" : "no");
        p.put("tempPrefix", TEMP_PREFIX);
        p.put("nameObject", bean("name"));
        p.put("failure", bean("failure"));
        s.password().ifPresent(pw -> p.put("password", "#bean:" + bean("password")));
        if (s.keyIsInline()) {
            p.put("privateKey", "#bean:" + bean("key"));
        } else {
            s.privateKey().ifPresent(k -> p.put("privateKeyFile", k.reveal().strip()));
        }
        s.passphrase().ifPresent(pp -> p.put("privateKeyPassphrase", "#bean:" + bean("passphrase")));
        return p;
    }

    /**
     * camel-ftp takes the endpoint directory relative to the login directory and strips a leading
     * '/' (with a warning). So an absolute {@code path} is handed to Camel relative to the login
     * directory the server reports ({@code ../../backups/x} from {@code /home/backup}), and lands
     * where reads, listings and deletes (absolute, through JSch) look for it. When the server
     * cannot be asked, the path goes as it is and the upload fails with its own sentence.
     */
    String camelDirectory() {
        if (!s.path().startsWith("/")) {
            return s.path();
        }
        try (SftpConnection c = connect()) {
            java.nio.file.Path home = java.nio.file.Path.of(c.sftp().pwd());
            return home.relativize(java.nio.file.Path.of(s.path())).toString();
        } catch (IOException | SftpException | RuntimeException e) {
            return s.path();
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        SftpConnection c = connect();
        try {
            String remote = s.remote(key);
            c.sftp().lstat(remote);
            return c.streamOwning(c.sftp().get(remote));
        } catch (SftpException e) {
            c.close();
            if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                throw new NoSuchFileException(where() + "no object " + key);
            }
            throw new DestinationException(sentence(e), e);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    @Override
    public List<StoredObject> list(String prefix) throws IOException {
        return list(prefix, false);
    }

    /** The {@value #TEMP_PREFIX} files an upload that died left (camel-ftp names them so). */
    @Override
    public List<StoredObject> listPartial(String prefix) throws IOException {
        return list(prefix, true);
    }

    private List<StoredObject> list(String prefix, boolean partial) throws IOException {
        List<StoredObject> out = new ArrayList<>();
        int slash = prefix.lastIndexOf('/');
        String dir = slash < 0 ? "" : prefix.substring(0, slash + 1);
        try (SftpConnection c = connect()) {
            walk(c.sftp(), dir, prefix, partial, out);
        } catch (SftpException e) {
            throw new DestinationException(sentence(e), e);
        }
        out.sort(Comparator.comparing(StoredObject::key));
        return out;
    }

    /**
     * Adds the files under {@code dir} (a key prefix ending in '/' or empty) whose key starts with
     * {@code prefix}: the published ones, or only the in-flight ones ({@code partial}).
     */
    private void walk(ChannelSftp sftp, String dir, String prefix, boolean partial, List<StoredObject> out) throws SftpException {
        List<ChannelSftp.LsEntry> entries = new ArrayList<>();
        try {
            sftp.ls(dir.isEmpty() ? s.path() : s.remote(dir.substring(0, dir.length() - 1)), e -> {
                entries.add(e);
                return ChannelSftp.LsEntrySelector.CONTINUE;
            });
        } catch (SftpException e) {
            if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                return;
            }
            throw e;
        }
        for (ChannelSftp.LsEntry e : entries) {
            String name = e.getFilename();
            String key = dir + name;
            if (name.equals(".") || name.equals("..")) {
                continue;
            }
            if (e.getAttrs().isDir()) {
                if (prefix.startsWith(key + "/") || (key + "/").startsWith(prefix)) {
                    walk(sftp, key + "/", prefix, partial, out);
                }
            } else if (e.getAttrs().isReg() && key.startsWith(prefix) && name.startsWith(TEMP_PREFIX) == partial) {
                out.add(new StoredObject(key, e.getAttrs().getSize()));
            }
        }
    }

    @Override
    public void delete(String key) throws IOException {
        try (SftpConnection c = connect()) {
            try {
                c.sftp().rm(s.remote(key));
            } catch (SftpException e) {
                if (e.id != ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                    throw e;
                }
            }
            // tidy directories the delete left empty, up to the destination's own directory
            for (int i = key.lastIndexOf('/'); i > 0; i = key.lastIndexOf('/', i - 1)) {
                try {
                    c.sftp().rmdir(s.remote(key.substring(0, i)));
                } catch (SftpException notEmptyOrGone) {
                    break;
                }
            }
        } catch (SftpException e) {
            throw new DestinationException(sentence(e), e);
        }
    }

    private SftpConnection connect() throws DestinationException {
        try {
            return SftpConnection.open(s);
        } catch (JSchException | RuntimeException e) {
            throw new DestinationException(sentence(e), e);
        }
    }

    /** One sentence for a failure of this destination. */
    @Override
    public String sentence(Throwable t) {
        if (RouteBeans.cause(t, JSchUnknownHostKeyException.class) != null
                || (RouteBeans.cause(t, JSchException.class) != null && String.valueOf(RouteBeans.cause(t, JSchException.class).getMessage()).startsWith("reject HostKey"))) {
            return where() + "host key of " + s.address() + " is not in " + s.knownHosts();
        }
        if (RouteBeans.cause(t, JSchChangedHostKeyException.class) != null) {
            return where() + "host key of " + s.address() + " differs from the one in " + s.knownHosts()
                    + " (the server was reinstalled, or someone is in the middle)";
        }
        JSchException jsch = RouteBeans.cause(t, JSchException.class);
        if (jsch != null && String.valueOf(jsch.getMessage()).startsWith("Auth")) {
            return where() + "login as '" + s.user() + "' refused by " + s.address() + " (check " + s.credentialOptions() + ")";
        }
        SftpException sftp = RouteBeans.cause(t, SftpException.class);
        if (sftp != null && sftp.id == ChannelSftp.SSH_FX_PERMISSION_DENIED) {
            return where() + "permission denied in " + s.path() + " on " + s.address();
        }
        String network = Failures.network(t, s.address());
        if (network != null) {
            return where() + network;
        }
        if (jsch != null) {
            return where() + "cannot connect to " + s.address() + ": " + Failures.rootCause(jsch);
        }
        return Failures.sentence("sftp '" + s.name() + "'", sftp != null ? sftp : t);
    }

    private String where() {
        return "sftp '" + s.name() + "': ";
    }

    private String bean(String what) {
        return RouteBeans.name(this, "sftp", what);
    }
}
