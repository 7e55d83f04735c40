package dev.caravan.dsl;

import dev.caravan.model.Secret;
import groovy.lang.Closure;
import groovy.lang.GroovyObjectSupport;
import groovy.lang.GroovyRuntimeException;
import org.codehaus.groovy.runtime.InvokerHelper;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Base of every DSL block. A block's keys are its public methods; anything else lands in
 * {@link #methodMissing} or {@link #propertyMissing} and is recorded as a problem (never thrown),
 * so one load reports every mistake. {@code env()} and {@code secret()} work in every block.
 */
abstract class Context extends GroovyObjectSupport {
    protected final Loading loading;
    private final Map<String, Integer> setAt = new HashMap<>();

    Context(Loading loading) {
        this.loading = loading;
    }

    /** How problems in this block start, e.g. {@code backup 'nightly': }; empty at the top level. */
    abstract String where();

    /** The keys this block accepts, each with how it is written (shown when the arguments are wrong). */
    abstract Map<String, String> keys();

    public Secret env(Object name) {
        String n = text(name);
        if (n == null) {
            problem("env() needs the variable's name in quotes, e.g. env('PGPASSWORD')");
            return Loading.UNRESOLVED;
        }
        return loading.env(n);
    }

    public Secret secret(Object path) {
        String p = text(path);
        if (p == null) {
            problem("secret() needs a file path in quotes, e.g. secret('/etc/caravan/pg.pw')");
            return Loading.UNRESOLVED;
        }
        return loading.secret(p);
    }

    public Object methodMissing(String name, Object args) {
        String usage = keys().get(name);
        if (usage != null) {
            problem("wrong arguments for '" + name + "'", List.of("usage: " + usage));
        } else {
            problem("unknown key '" + name + "'", Suggest.hints(name, keys().keySet()));
        }
        return null;
    }

    /** A bare word: a key with no arguments, such as {@code schemaOnly} or {@code afterUpload}. */
    public Object propertyMissing(String name) {
        return InvokerHelper.invokeMethod(this, name, new Object[0]);
    }

    public void propertyMissing(String name, Object value) {
        problem("'" + name + " = ...' is not supported: write " + name + " <value> without '='",
                keys().containsKey(name) ? List.of() : Suggest.hints(name, keys().keySet()));
    }

    void problem(String message) {
        problem(message, List.of());
    }

    void problem(String message, List<String> hints) {
        loading.problems.add(where() + message, hints);
    }

    /** False (and a problem) when a key that may appear once per block appears again. */
    boolean once(String key) {
        int line = loading.problems.currentLine();
        Integer first = setAt.putIfAbsent(key, line);
        if (first != null) {
            problem("'" + key + "' is already set at line " + first);
            return false;
        }
        return true;
    }

    /** Runs a block's closure against its context; a failure inside is recorded and the load goes on. */
    <C extends Context> C run(Closure<?> body, C context) {
        if (body == null) {
            return context;
        }
        Closure<?> c = (Closure<?>) body.clone();
        c.setResolveStrategy(Closure.DELEGATE_FIRST);
        c.setDelegate(context);
        try {
            c.call();
        } catch (RuntimeException e) {
            loading.problems.addAt(loading.problems.lineOf(e), describe(e));
        }
        return context;
    }

    static String describe(RuntimeException e) {
        String m = e instanceof GroovyRuntimeException g ? g.getMessageWithoutLocationText() : e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return m.strip().lines().findFirst().orElse(m);
    }

    /** A string value: a literal, a GString, or an env()/secret() value revealed. Null for anything else. */
    /** A password-like value: a string, env('X') or secret('/path'); null (with a problem recorded) for anything else. */
    Secret secretValue(String key, Object value) {
        Secret secret = value instanceof Secret s ? s : value instanceof CharSequence cs ? new Secret(cs.toString(), "plan file") : null;
        if (secret == null) {
            problem(key + " must be a string, env('X') or secret('/path')");
        }
        return secret;
    }

    static String text(Object value) {
        if (value instanceof CharSequence s) {
            return s.toString();
        }
        if (value instanceof Secret s) {
            return s.reveal();
        }
        return null;
    }

    /** The closure at the end of an argument list, or null. */
    static Closure<?> closure(Object[] args) {
        return args.length > 0 && args[args.length - 1] instanceof Closure<?> c ? c : null;
    }

    static Object[] array(Object args) {
        return args instanceof Object[] a ? a : new Object[] {args};
    }
}
