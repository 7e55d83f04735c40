package dev.caravan.format;

import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/** Turns identity strings (keys, identity file text, passphrases) into Jagged stanza readers. */
final class AgeIdentities {
    private static final String KEY_PREFIX = "AGE-SECRET-KEY-1";

    private AgeIdentities() {
    }

    static List<RecipientStanzaReader> readers(List<String> identities) throws IOException {
        if (identities.isEmpty()) {
            throw new IOException("age: no identity given to decrypt with");
        }
        List<RecipientStanzaReader> readers = new ArrayList<>();
        for (int i = 0; i < identities.size(); i++) {
            String identity = identities.get(i);
            List<String> keys = keyLines(identity);
            if (keys.isEmpty()) {
                if (identity.strip().startsWith("age1")) {
                    throw new IOException("age: identity " + (i + 1) + " is a recipient (public key); decrypting needs the AGE-SECRET-KEY-1 secret key");
                }
                readers.add(new ScryptStanzaReader(identity));
                continue;
            }
            for (String key : keys) {
                try {
                    readers.add(X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(key));
                } catch (GeneralSecurityException | RuntimeException e) {
                    // never print the key itself
                    throw new IOException("age: identity " + (i + 1) + " holds a malformed AGE-SECRET-KEY-1 key", e);
                }
            }
        }
        return readers;
    }

    /** The key lines of an identity or identity file text, without comments and blank lines. */
    static List<String> keyLines(String text) {
        List<String> keys = new ArrayList<>();
        for (String line : text.split("\\R")) {
            String l = line.strip();
            if (l.regionMatches(true, 0, KEY_PREFIX, 0, KEY_PREFIX.length())) {
                keys.add(l);
            }
        }
        return keys;
    }
}
