package dev.caravan.format;

import com.exceptionfactory.jagged.FileKey;
import com.exceptionfactory.jagged.RecipientStanza;
import com.exceptionfactory.jagged.RecipientStanzaWriter;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/** Writes the one scrypt stanza of a passphrase-encrypted age file. */
final class ScryptStanzaWriter implements RecipientStanzaWriter {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] passphrase;
    private final int logN;

    ScryptStanzaWriter(String passphrase, int logN) {
        if (passphrase.isEmpty()) {
            throw new IllegalArgumentException("age: the passphrase is empty");
        }
        if (logN < 1 || logN > Scrypt.MAX_LOG_N) {
            throw new IllegalArgumentException("age: scrypt work factor " + logN + " is out of range 1.." + Scrypt.MAX_LOG_N);
        }
        this.passphrase = passphrase.getBytes(StandardCharsets.UTF_8);
        this.logN = logN;
    }

    @Override
    public Iterable<RecipientStanza> getRecipientStanzas(FileKey fileKey) throws GeneralSecurityException {
        byte[] salt = new byte[Scrypt.SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] body = Scrypt.wrap(passphrase, salt, logN, fileKey.getEncoded());
        String saltText = Base64.getEncoder().withoutPadding().encodeToString(salt);
        return List.of(new AgeStanza(Scrypt.TYPE, List.of(saltText, Integer.toString(logN)), body));
    }
}
