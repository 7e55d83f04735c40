package dev.caravan.format;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * The age scrypt recipient (https://age-encryption.org/v1, "The scrypt recipient type"): the file
 * key is wrapped with ChaCha20-Poly1305 under scrypt(passphrase, "age-encryption.org/v1/scrypt" ||
 * salt, N = 2^logN, r = 8, p = 1), nonce all zero. Shared by the stanza writer and reader.
 */
final class Scrypt {
    static final String TYPE = "scrypt";
    static final int SALT_BYTES = 16;
    /** age's own default when encrypting. */
    static final int DEFAULT_LOG_N = 18;
    /** Refuse more work than this when decrypting: a hostile header could ask for gigabytes of memory. */
    static final int MAX_LOG_N = 22;

    private static final byte[] LABEL = "age-encryption.org/v1/scrypt".getBytes(StandardCharsets.US_ASCII);
    private static final int FILE_KEY_BYTES = 16;
    private static final int TAG_BYTES = 16;

    private Scrypt() {
    }

    static byte[] wrap(byte[] passphrase, byte[] salt, int logN, byte[] fileKey) throws GeneralSecurityException {
        return chacha(Cipher.ENCRYPT_MODE, wrapKey(passphrase, salt, logN), fileKey);
    }

    static byte[] unwrap(byte[] passphrase, byte[] salt, int logN, byte[] body) throws GeneralSecurityException {
        if (body.length != FILE_KEY_BYTES + TAG_BYTES) {
            throw new GeneralSecurityException("scrypt stanza body has " + body.length + " bytes, expected 32");
        }
        return chacha(Cipher.DECRYPT_MODE, wrapKey(passphrase, salt, logN), body);
    }

    private static byte[] wrapKey(byte[] passphrase, byte[] salt, int logN) {
        byte[] fullSalt = Arrays.copyOf(LABEL, LABEL.length + salt.length);
        System.arraycopy(salt, 0, fullSalt, LABEL.length, salt.length);
        return org.bouncycastle.crypto.generators.SCrypt.generate(passphrase, fullSalt, 1 << logN, 8, 1, 32);
    }

    private static byte[] chacha(int mode, byte[] key, byte[] data) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("ChaCha20-Poly1305");
        cipher.init(mode, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(new byte[12]));
        try {
            return cipher.doFinal(data);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }
}
