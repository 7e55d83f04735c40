package dev.caravan.dsl;

import groovy.lang.Closure;
import groovy.lang.DelegatingMetaClass;
import org.codehaus.groovy.runtime.InvokerHelper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The block of one drill {@code check(...) { atLeast 1 }} or {@code { equals 42 }}: what the result must be. */
public final class CheckContext extends Context {
    private static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("atLeast", "atLeast 1");
        KEYS.put("equals", "equals 42");
    }

    private final String source;
    Long atLeast;
    Long equalsValue;
    private boolean rejected;

    CheckContext(Loading loading, String source) {
        super(loading);
        this.source = source;
    }

    @Override
    String where() {
        return "drill: check '" + source + "': ";
    }

    @Override
    Map<String, String> keys() {
        return KEYS;
    }

    @Override
    public Object methodMissing(String name, Object args) {
        rejected = true;
        return super.methodMissing(name, args);
    }

    public void atLeast(Object n) {
        atLeast = count("atLeast", n);
    }

    /**
     * {@code equals 42}. An overload of {@link Object#equals(Object)} by parameter type: Groovy picks
     * it for a number; {@link #equals(CharSequence)} catches a quoted one.
     */
    public void equals(Number n) {
        equalsValue = count("equals", n);
    }

    public void equals(CharSequence n) {
        count("equals", n);
    }

    private Long count(String key, Object n) {
        if (!once(key)) {
            rejected = true;
            return null;
        }
        if (!(n instanceof Integer || n instanceof Long) || ((Number) n).longValue() < 0) {
            rejected = true;
            problem(key + " needs a whole number, 0 or more, was " + (n instanceof CharSequence ? "'" + n + "'" : n),
                    List.of("usage: " + KEYS.get(key)));
            return null;
        }
        return ((Number) n).longValue();
    }

    /**
     * The block with {@code equals N} routed here: a closure answers {@code equals} itself (every
     * object has it) before asking its delegate, so the call is redirected on the closure's own meta class.
     */
    Closure<?> routeEquals(Closure<?> body) {
        if (body == null) {
            return null;
        }
        Closure<?> c = (Closure<?>) body.clone();
        c.setMetaClass(new DelegatingMetaClass(c.getMetaClass()) {
            @Override
            public Object invokeMethod(Object object, String name, Object[] args) {
                return "equals".equals(name) ? InvokerHelper.invokeMethod(CheckContext.this, name, args)
                        : super.invokeMethod(object, name, args);
            }

            @Override
            @SuppressWarnings("rawtypes")
            public Object invokeMethod(Class sender, Object receiver, String name, Object[] args, boolean isCallToSuper,
                                       boolean fromInsideClass) {
                return "equals".equals(name) ? InvokerHelper.invokeMethod(CheckContext.this, name, args)
                        : super.invokeMethod(sender, receiver, name, args, isCallToSuper, fromInsideClass);
            }
        });
        return c;
    }

    /** Exactly one expectation; none (or both) is a problem unless one was already reported. */
    boolean valid() {
        if (rejected) {
            return false;
        }
        if (atLeast == null && equalsValue == null) {
            problem("say what the result must be", List.of("add: atLeast 1  or  equals 42"));
            return false;
        }
        if (atLeast != null && equalsValue != null) {
            problem("give atLeast or equals, not both");
            return false;
        }
        return true;
    }
}
