package dev.caravan.format;

import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.RecipientStanzaWriter;
import com.exceptionfactory.jagged.framework.stream.StandardDecryptingChannelFactory;
import com.exceptionfactory.jagged.framework.stream.StandardEncryptingChannelFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;
import dev.caravan.model.Encryption;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/**
 * age (https://age-encryption.org/v1) streams through Jagged: X25519 recipients, or a passphrase
 * with the scrypt recipient. The files are plain age files; {@code age -d} reads them.
 */
public final class Age {
    /** scrypt work factor (log2 N) used when encrypting with a passphrase; age's own default. */
    public static final int DEFAULT_SCRYPT_LOG_N = Scrypt.DEFAULT_LOG_N;
    /** System property that lowers the work factor of new passphrase-encrypted files: for the test suite only. */
    public static final String SCRYPT_LOG_N_PROPERTY = "caravan.scrypt.logN";

    private Age() {
    }

    /**
     * Wraps {@code out} in an age stream to the recipients ({@code age1...}) or, when a passphrase is
     * set, to that passphrase (scrypt, work factor {@value #DEFAULT_SCRYPT_LOG_N}). Closing the
     * returned stream finishes the age stream and closes {@code out}.
     *
     * @throws IllegalArgumentException if encryption is not enabled, both a passphrase and recipients
     *                                  are set, or a recipient is not an X25519 recipient
     */
    public static OutputStream encrypt(OutputStream out, Encryption encryption) throws IOException {
        return encrypt(out, encryption, scryptLogN());
    }

    /**
     * {@value #DEFAULT_SCRYPT_LOG_N}, unless the system property {@code caravan.scrypt.logN} names
     * another work factor (1..22). The test suite sets a low one: each passphrase-encrypted object
     * costs one scrypt to write and one to read, 256 MiB and about a second of CPU at 18, and the
     * suite's WAL and drill tests write and read hundreds. A reader takes the work factor from the
     * file, so such files read as any other. Not for production: a low work factor makes a
     * passphrase cheap to guess.
     */
    static int scryptLogN() {
        String value = System.getProperty(SCRYPT_LOG_N_PROPERTY);
        return value == null || value.isBlank() ? DEFAULT_SCRYPT_LOG_N : Integer.parseInt(value.trim());
    }

    /** As {@link #encrypt(OutputStream, Encryption)} with a chosen scrypt work factor (1..22; tests use a low one). */
    public static OutputStream encrypt(OutputStream out, Encryption encryption, int scryptLogN) throws IOException {
        List<RecipientStanzaWriter> writers = writers(encryption, scryptLogN);
        try {
            WritableByteChannel channel = new StandardEncryptingChannelFactory()
                    .newEncryptingChannel(StreamChannels.writable(out), writers);
            return Channels.newOutputStream(channel);
        } catch (GeneralSecurityException e) {
            throw new IOException("age: cannot start encryption: " + e.getMessage(), e);
        }
    }

    /**
     * Wraps {@code in}, an age file, in a decrypting stream. Each identity is an X25519 secret key
     * ({@code AGE-SECRET-KEY-1...}) or the text of an age identity file (several keys, {@code #}
     * comments and blank lines allowed); an entry that holds no key line is taken as a passphrase.
     *
     * @throws IOException if no identity opens the file ("wrong key or passphrase") or the header is damaged
     */
    public static InputStream decrypt(InputStream in, List<String> identities) throws IOException {
        return open(in, AgeIdentities.readers(identities));
    }

    /** Decrypts a passphrase-encrypted (scrypt) age file. */
    public static InputStream decryptWithPassphrase(InputStream in, String passphrase) throws IOException {
        return open(in, List.of(new ScryptStanzaReader(passphrase)));
    }

    /** Decrypts with the keys in an age identity file (as written by {@code age-keygen -o}). */
    public static InputStream decrypt(InputStream in, Path identityFile) throws IOException {
        String text = Files.readString(identityFile, StandardCharsets.UTF_8);
        if (AgeIdentities.keyLines(text).isEmpty()) {
            throw new IOException("age: " + identityFile + " holds no AGE-SECRET-KEY-1 line");
        }
        return open(in, AgeIdentities.readers(List.of(text)));
    }

    private static InputStream open(InputStream in, List<RecipientStanzaReader> readers) throws IOException {
        try {
            ReadableByteChannel channel = new StandardDecryptingChannelFactory()
                    .newDecryptingChannel(StreamChannels.readable(in), readers);
            return Channels.newInputStream(channel);
        } catch (GeneralSecurityException e) {
            throw new IOException("age: cannot decrypt: no identity matches (wrong key or passphrase?): " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IOException("age: cannot read the age header (not an age file, or damaged): " + e.getMessage(), e);
        }
    }

    private static List<RecipientStanzaWriter> writers(Encryption encryption, int scryptLogN) {
        if (!encryption.enabled()) {
            throw new IllegalArgumentException("age: encryption is not enabled (no recipients, no passphrase)");
        }
        if (encryption.passphrase() != null) {
            if (!encryption.recipients().isEmpty()) {
                throw new IllegalArgumentException("age: a passphrase cannot be combined with recipients");
            }
            return List.of(new ScryptStanzaWriter(encryption.passphrase().reveal(), scryptLogN));
        }
        List<RecipientStanzaWriter> writers = new ArrayList<>();
        for (String recipient : encryption.recipients()) {
            String r = recipient.strip();
            try {
                writers.add(X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(r));
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new IllegalArgumentException("age: '" + r + "' is not an X25519 recipient (age1...)", e);
            }
        }
        return writers;
    }
}
