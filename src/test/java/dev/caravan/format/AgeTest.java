package dev.caravan.format;

import com.exceptionfactory.jagged.RecipientStanza;
import dev.caravan.model.Encryption;
import dev.caravan.model.Secret;
import dev.caravan.testing.StockTools;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgeTest {
    private static final String PASSPHRASE = "correct horse battery staple";

    @TempDir
    Path dir;
    Path plain;
    Path key;
    String recipient;

    @BeforeEach
    void keyAndData() throws Exception {
        plain = TestData.write(dir.resolve("plain"), 7);
        key = dir.resolve("key.txt");
        StockTools.run(List.of("age-keygen", "-o", key.toString()), null, null);
        recipient = StockTools.run(List.of("age-keygen", "-y", key.toString()), null, null).strip();
    }

    @Test
    void our_x25519_output_decrypts_with_stock_age() throws Exception {
        Path enc = encrypt(new Encryption(List.of(recipient), null), 18);
        Path back = dir.resolve("back");
        StockTools.run(List.of("age", "-d", "-i", key.toString(), "-o", back.toString(), enc.toString()), null, null);
        assertThat(Files.mismatch(plain, back)).isEqualTo(-1L);
    }

    @Test
    void stock_age_output_decrypts_with_ours_from_an_identity_file_or_its_text() throws Exception {
        Path other = dir.resolve("other.txt");
        StockTools.run(List.of("age-keygen", "-o", other.toString()), null, null);
        String otherRecipient = StockTools.run(List.of("age-keygen", "-y", other.toString()), null, null).strip();
        Path enc = dir.resolve("plain.age");
        StockTools.run(List.of("age", "-r", otherRecipient, "-r", recipient, "-o", enc.toString(), plain.toString()), null, null);

        assertDecryptsToPlain(Age.decrypt(Files.newInputStream(enc), key));
        assertDecryptsToPlain(Age.decrypt(Files.newInputStream(enc), List.of(Files.readString(key))));
    }

    @Test
    void wrong_key_is_a_clear_io_error() throws Exception {
        Path enc = encrypt(new Encryption(List.of(recipient), null), 18);
        Path other = dir.resolve("other.txt");
        StockTools.run(List.of("age-keygen", "-o", other.toString()), null, null);
        assertThatThrownBy(() -> Age.decrypt(Files.newInputStream(enc), other))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("age: cannot decrypt: no identity matches (wrong key or passphrase?)");
    }

    @Test
    void our_passphrase_output_decrypts_with_stock_age() throws Exception {
        Path enc = encrypt(new Encryption(List.of(), new Secret(PASSPHRASE, "test")), 12);
        Path back = dir.resolve("back");
        StockTools.withPassphrase(List.of("age", "-d", "-o", back.toString(), enc.toString()), PASSPHRASE);
        assertThat(Files.mismatch(plain, back)).isEqualTo(-1L);
    }

    @Test
    void stock_age_passphrase_output_decrypts_with_ours() throws Exception {
        Path enc = dir.resolve("plain.age");
        StockTools.withPassphrase(List.of("age", "-p", "-o", enc.toString(), plain.toString()), PASSPHRASE);
        assertDecryptsToPlain(Age.decryptWithPassphrase(Files.newInputStream(enc), PASSPHRASE));
        assertDecryptsToPlain(Age.decrypt(Files.newInputStream(enc), List.of(PASSPHRASE)));
    }

    @Test
    void wrong_passphrase_is_a_clear_io_error() throws Exception {
        Path enc = encrypt(new Encryption(List.of(), new Secret(PASSPHRASE, "test")), 10);
        assertThatThrownBy(() -> Age.decryptWithPassphrase(Files.newInputStream(enc), "not it"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("wrong key or passphrase")
                .hasMessageContaining("incorrect passphrase");
    }

    @Test
    void damaged_payload_fails_while_reading() throws Exception {
        Path enc = encrypt(new Encryption(List.of(recipient), null), 18);
        byte[] bytes = Files.readAllBytes(enc);
        bytes[bytes.length - 100] ^= 1;
        Files.write(enc, bytes);
        assertThatThrownBy(() -> {
            try (InputStream in = Age.decrypt(Files.newInputStream(enc), key)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        }).isInstanceOf(IOException.class);
    }

    @Test
    void scrypt_work_factor_above_22_is_refused_when_decrypting() {
        RecipientStanza stanza = new AgeStanza("scrypt", List.of("AAAAAAAAAAAAAAAAAAAAAA", "23"), new byte[32]);
        assertThatThrownBy(() -> new ScryptStanzaReader(PASSPHRASE).getFileKey(List.of(stanza)))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessage("scrypt work factor 23 is above the limit 22");
    }

    @Test
    void scrypt_stanza_must_be_the_only_one() {
        RecipientStanza scrypt = new AgeStanza("scrypt", List.of("AAAAAAAAAAAAAAAAAAAAAA", "10"), new byte[32]);
        RecipientStanza other = new AgeStanza("X25519", List.of("x"), new byte[32]);
        assertThatThrownBy(() -> new ScryptStanzaReader(PASSPHRASE).getFileKey(List.of(other, scrypt)))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessage("a scrypt stanza must be the only stanza of an age file");
    }

    @Test
    void a_public_key_given_as_identity_is_explained() throws Exception {
        Path enc = encrypt(new Encryption(List.of(recipient), null), 18);
        assertThatThrownBy(() -> Age.decrypt(Files.newInputStream(enc), List.of(recipient)))
                .isInstanceOf(IOException.class)
                .hasMessage("age: identity 1 is a recipient (public key); decrypting needs the AGE-SECRET-KEY-1 secret key");
    }

    @Test
    void passphrase_and_recipients_together_are_refused() {
        Encryption both = new Encryption(List.of(recipient), new Secret(PASSPHRASE, "test"));
        assertThatThrownBy(() -> Age.encrypt(OutputStream.nullOutputStream(), both))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("age: a passphrase cannot be combined with recipients");
    }

    private Path encrypt(Encryption encryption, int logN) throws IOException {
        Path enc = dir.resolve("plain.age");
        try (OutputStream out = Age.encrypt(Files.newOutputStream(enc), encryption, logN)) {
            Files.copy(plain, out);
        }
        return enc;
    }

    private void assertDecryptsToPlain(InputStream decrypted) throws IOException {
        Path back = dir.resolve("back-" + System.nanoTime());
        try (InputStream in = decrypted) {
            Files.copy(in, back);
        }
        assertThat(Files.mismatch(plain, back)).isEqualTo(-1L);
    }
}
