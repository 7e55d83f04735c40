package dev.caravan.destination.sftp;

import dev.caravan.destination.Delivery;
import dev.caravan.destination.Destination;
import dev.caravan.destination.DestinationKind;
import dev.caravan.model.DestinationSpec;
import dev.caravan.spi.OptionDef;

import java.util.List;

import static dev.caravan.spi.OptionDef.Type.BOOLEAN;
import static dev.caravan.spi.OptionDef.Type.INT;
import static dev.caravan.spi.OptionDef.Type.SECRET;
import static dev.caravan.spi.OptionDef.Type.STRING;

/**
 * {@code sftp('offsite') { host 'backup-server'; user 'backup'; path '/backups/rpger'; privateKey secret('/etc/caravan/id_ed25519') }}:
 * a directory on any SSH server.
 */
public final class SftpDestinationKind implements DestinationKind {
    static final List<OptionDef> OPTIONS = List.of(
            OptionDef.required("host", STRING, "SSH server name or address.", "'backup-server'"),
            OptionDef.optional("port", INT, "SSH port (default 22).", "22"),
            OptionDef.required("user", STRING, "Login name on the server.", "'backup'"),
            OptionDef.required("path", STRING, "Directory on the server that holds the backups; absolute, or relative to the login directory.",
                    "'/backups/rpger'"),
            OptionDef.optional("password", SECRET, "Login password (give password or privateKey).", "secret('/etc/caravan/sftp.pw')"),
            OptionDef.optional("privateKey", SECRET, "Private key in OpenSSH or PEM format: the key itself or the path of its file.",
                    "secret('/etc/caravan/id_ed25519')"),
            OptionDef.optional("privateKeyPassphrase", SECRET, "Passphrase of an encrypted privateKey.", "env('SFTP_KEY_PASSPHRASE')"),
            OptionDef.optional("knownHosts", STRING,
                    "known_hosts file the server's host key must be in (default ~/.ssh/known_hosts); add it with ssh-keyscan.",
                    "'/etc/caravan/known_hosts'"),
            OptionDef.optional("strictHostKeyChecking", BOOLEAN,
                    "Refuse servers whose host key is not in knownHosts (default true); turning it off allows a man in the middle.", "false"));

    @Override
    public String kind() {
        return "sftp";
    }

    @Override
    public String description() {
        return "A directory on an SSH server, over SFTP.";
    }

    @Override
    public List<OptionDef> options() {
        return Delivery.withCommon(OPTIONS);
    }

    @Override
    public List<String> rules() {
        return List.of(
                "password or privateKey is required; privateKeyPassphrase needs privateKey.",
                "port is from 1 to 65535.",
                "With strictHostKeyChecking on (the default), the knownHosts file (default ~/.ssh/known_hosts) exists.");
    }

    @Override
    public List<String> problems(DestinationSpec spec) {
        return SftpSettings.problems(spec.options());
    }

    @Override
    public Destination create(DestinationSpec spec) {
        return new SftpDestination(SftpSettings.from(spec.name(), spec.options()));
    }
}
