package dev.caravan.backup;

import dev.caravan.format.Age;
import dev.caravan.io.Sha256;
import dev.caravan.model.Encryption;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * How a deduplicated plan names its chunks: the hex of a hash of the chunk's plain bytes, then the
 * stored form's extensions ({@code 3f...a9.zst.age}). Equal plain chunks get equal names, so a
 * chunk already at a destination is not stored again.
 *
 * <p>An encrypted plan names chunks by HMAC-SHA256 under a secret key, so that a name reveals
 * nothing about the content (a plain hash would let anyone who can list the destination test a
 * guess). The key is derived from a random per-plan key kept in the state dir, the plan's recipients
 * and its compression, so that changing either stores every chunk afresh (never reusing a chunk the
 * new identity cannot open). Each manifest carries the key age-encrypted to the plan's recipients
 * ({@link Manifest#chunkKey}), so that whoever holds the identity can check chunk names (verify,
 * restore); nothing needs it to restore with stock tools, since the manifest lists the names. An
 * unencrypted plan hides nothing and names chunks by their plain SHA-256.
 */
public final class ChunkNames {
    private final byte[] key;
    private final String suffix;

    private ChunkNames(byte[] key, String suffix) {
        this.key = key;
        this.suffix = suffix;
    }

    /** Names by plain SHA-256 (an unencrypted plan). */
    public static ChunkNames plain(String compressionExtension) {
        return new ChunkNames(null, suffix(compressionExtension, false));
    }

    /** Names by HMAC-SHA256 under {@code key} (an encrypted plan). */
    public static ChunkNames keyed(byte[] key, String compressionExtension) {
        return new ChunkNames(key.clone(), suffix(compressionExtension, true));
    }

    /**
     * The naming key of an encrypted plan: HMAC-SHA256 of its recipients and compression algorithm under
     * the plan's random {@code planKey}.
     */
    public static byte[] derive(byte[] planKey, List<String> recipients, String compression) {
        String context = "caravan chunk names 1\n" + String.join("\n", recipients.stream().map(String::strip).sorted().toList())
                + "\n" + compression;
        byte[] bytes = context.getBytes(StandardCharsets.UTF_8);
        return hmac(planKey, bytes, 0, bytes.length);
    }

    /** The name of the chunk {@code buf[off, off+len)}. */
    public String name(byte[] buf, int off, int len) {
        return hex(buf, off, len) + suffix;
    }

    /** The hash part of the name: hex, without the extensions. */
    public String hex(byte[] buf, int off, int len) {
        byte[] digest;
        if (key == null) {
            MessageDigest md = Sha256.digest();
            md.update(buf, off, len);
            digest = md.digest();
        } else {
            digest = hmac(key, buf, off, len);
        }
        return HexFormat.of().formatHex(digest);
    }

    /** The compression algorithm's extension of a stored chunk's name ({@code zst}), or empty. */
    public static String compressionExtension(String name) {
        String rest = name.endsWith(".age") ? name.substring(0, name.length() - 4) : name;
        int dot = rest.indexOf('.');
        return dot < 0 ? "" : rest.substring(dot + 1);
    }

    public static boolean encrypted(String name) {
        return name.endsWith(".age");
    }

    /** The naming key, age-encrypted to {@code encryption}'s recipients, base64 (for {@link Manifest#chunkKey}). */
    public static String seal(byte[] key, Encryption encryption) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream out = Age.encrypt(b, encryption)) {
            out.write(HexFormat.of().formatHex(key).getBytes(StandardCharsets.US_ASCII));
        }
        return Base64.getEncoder().encodeToString(b.toByteArray());
    }

    /** Opens {@link Manifest#chunkKey} with the identities (the text of age identity files). */
    public static byte[] unseal(String sealed, List<String> identities) throws IOException {
        try (InputStream in = Age.decrypt(new ByteArrayInputStream(Base64.getDecoder().decode(sealed)), identities)) {
            return HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
        } catch (IllegalArgumentException e) {
            throw new IOException("the manifest's chunk key is damaged", e);
        }
    }

    private static String suffix(String compressionExtension, boolean encrypted) {
        return (compressionExtension.isEmpty() ? "" : "." + compressionExtension) + (encrypted ? ".age" : "");
    }

    private static byte[] hmac(byte[] key, byte[] buf, int off, int len) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(buf, off, len);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }
}
