package dev.caravan.model;

import java.util.List;

/**
 * {@code encrypt age: ...} or {@code encrypt passphrase: ...}. Recipients are age X25519 public
 * keys ({@code age1...}); a passphrase uses age's scrypt recipient. Both unset means no encryption.
 */
public record Encryption(List<String> recipients, Secret passphrase) {
    public static final Encryption NONE = new Encryption(List.of(), null);

    public Encryption {
        recipients = List.copyOf(recipients);
    }

    public boolean enabled() {
        return !recipients.isEmpty() || passphrase != null;
    }

    /** What the manifest records: recipients, or "passphrase" (never the passphrase itself). */
    public List<String> describe() {
        return passphrase != null ? List.of("scrypt passphrase (" + passphrase.origin() + ")") : recipients;
    }
}
