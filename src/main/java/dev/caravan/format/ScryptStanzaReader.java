package dev.caravan.format;

import com.exceptionfactory.jagged.FileKey;
import com.exceptionfactory.jagged.RecipientStanza;
import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.UnsupportedRecipientStanzaException;

import javax.crypto.AEADBadTagException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/** Unwraps the file key of a passphrase-encrypted age file, checking the stanza as age does. */
final class ScryptStanzaReader implements RecipientStanzaReader {
    private static final Pattern LOG_N = Pattern.compile("[1-9][0-9]?");

    private final byte[] passphrase;

    ScryptStanzaReader(String passphrase) {
        this.passphrase = passphrase.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public FileKey getFileKey(Iterable<RecipientStanza> stanzas) throws GeneralSecurityException {
        List<RecipientStanza> all = new ArrayList<>();
        stanzas.forEach(all::add);
        List<RecipientStanza> scrypt = all.stream().filter(s -> Scrypt.TYPE.equals(s.getType())).toList();
        if (scrypt.isEmpty()) {
            throw new UnsupportedRecipientStanzaException("the file is not passphrase-encrypted (no scrypt stanza)");
        }
        if (all.size() != 1) {
            throw new InvalidKeyException("a scrypt stanza must be the only stanza of an age file");
        }
        RecipientStanza stanza = scrypt.get(0);
        List<String> args = stanza.getArguments();
        if (args.size() != 2 || !LOG_N.matcher(args.get(1)).matches()) {
            throw new InvalidKeyException("malformed scrypt stanza");
        }
        byte[] salt;
        try {
            salt = Base64.getDecoder().decode(args.get(0));
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyException("malformed scrypt stanza salt", e);
        }
        if (salt.length != Scrypt.SALT_BYTES || args.get(0).endsWith("=")) {
            throw new InvalidKeyException("malformed scrypt stanza salt");
        }
        int logN = Integer.parseInt(args.get(1));
        if (logN > Scrypt.MAX_LOG_N) {
            throw new InvalidKeyException("scrypt work factor " + logN + " is above the limit " + Scrypt.MAX_LOG_N);
        }
        try {
            return new FileKey(Scrypt.unwrap(passphrase, salt, logN, stanza.getBody()));
        } catch (AEADBadTagException e) {
            throw new InvalidKeyException("incorrect passphrase", e);
        }
    }
}
