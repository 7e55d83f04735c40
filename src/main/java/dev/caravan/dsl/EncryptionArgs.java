package dev.caravan.dsl;

import com.exceptionfactory.jagged.bech32.Bech32;
import com.exceptionfactory.jagged.bech32.Bech32Address;
import dev.caravan.model.Encryption;
import dev.caravan.model.Secret;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Validates {@code encrypt age: 'age1...'} (one recipient, a list, or an env()/secret() value
 * holding recipients separated by commas or whitespace) and {@code encrypt passphrase: secret('/p')}.
 */
final class EncryptionArgs {
    private static final List<String> NAMED = List.of("age", "passphrase");

    private EncryptionArgs() {
    }

    static Encryption parse(Context ctx, Map<?, ?> named) {
        for (Object key : named.keySet()) {
            if (!NAMED.contains(String.valueOf(key))) {
                ctx.problem("encrypt: unknown option '" + key + "'", Suggest.hints(String.valueOf(key), NAMED));
                return null;
            }
        }
        if (named.size() != 1) {
            ctx.problem("encrypt takes either age: or passphrase:, not both",
                    List.of("e.g. encrypt age: 'age1...' or encrypt passphrase: secret('/etc/caravan/pass')"));
            return null;
        }
        Object value = named.values().iterator().next();
        if (named.containsKey("passphrase")) {
            return passphrase(ctx, value);
        }
        List<String> recipients = new ArrayList<>();
        for (Object v : value instanceof Collection<?> c ? c : List.of(value)) {
            if (v == Loading.UNRESOLVED) {
                return null;
            }
            String s = Context.text(v);
            if (s == null) {
                ctx.problem("encrypt: age recipients must be strings, not '" + v + "'");
                return null;
            }
            for (String r : s.strip().split("[,\\s]+")) {
                if (!r.isEmpty()) {
                    recipients.add(r);
                }
            }
        }
        if (recipients.isEmpty()) {
            ctx.problem("encrypt: no age recipient given");
            return null;
        }
        boolean ok = true;
        for (String r : recipients) {
            if (!isAgeRecipient(r)) {
                String shown = value instanceof Secret s ? "from " + s.origin() : "'" + r + "'";
                ctx.problem("encrypt: " + shown + " is not an age X25519 recipient",
                        List.of("expected 'age1' followed by 58 characters, as printed by age-keygen -y"));
                ok = false;
            }
        }
        return ok ? new Encryption(recipients, null) : null;
    }

    private static Encryption passphrase(Context ctx, Object value) {
        if (value == Loading.UNRESOLVED) {
            return null;
        }
        Secret secret = value instanceof Secret s ? s
                : value instanceof CharSequence cs ? new Secret(cs.toString(), "plan file") : null;
        if (secret == null || secret.reveal().isEmpty()) {
            ctx.problem("encrypt: passphrase must be a non-empty string, env('X') or secret('/path')");
            return null;
        }
        return new Encryption(List.of(), secret);
    }

    /** A Bech32 string with prefix {@code age} holding a 32-byte X25519 public key. */
    static boolean isAgeRecipient(String r) {
        if (!r.startsWith("age1") || r.length() != 62) {
            return false;
        }
        try {
            Bech32Address a = Bech32.getDecoder().decode(r);
            return "age".contentEquals(a.getHumanReadablePart()) && a.getData().length == 32;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
