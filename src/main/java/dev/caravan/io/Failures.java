package dev.caravan.io;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way a failure becomes a sentence for a user: the subject (plan, source or destination) once,
 * then the root cause, e.g. {@code s3 'offsite': cannot connect to 127.0.0.1:9000 (connection refused)}.
 *
 * <p>A cause chain is read from the outside in: wrappers that say nothing of their own (Camel's
 * {@code Exception occurred during execution on the exchange}, {@code FailedToCreateRouteException},
 * {@code ExecutionException}, messages that are only the cause's {@code toString()}) are skipped; the
 * outermost message that remains is kept, and the innermost one is added when it says something the
 * outer one does not ({@code Cannot store file: x: No space left on device}). Network failures are
 * said the same way for every kind of destination.
 */
public final class Failures {
    /** Classes whose instances only wrap their cause; matched by simple name, so that no layer has to be imported. */
    private static final Set<String> WRAPPERS = Set.of("CamelExecutionException", "RuntimeCamelException",
            "FailedToCreateRouteException", "FailedToStartRouteException", "RuntimeExchangeException",
            "ExecutionException", "CompletionException", "InvocationTargetException", "UndeclaredThrowableException",
            "CamelExchangeException", "ResolveEndpointFailedException");
    private static final Pattern CLASS_PREFIX = Pattern.compile("^(?:[a-zA-Z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error): ");
    private static final Pattern HOST_PORT = Pattern.compile(
            "(?i)(?:connect(?:ion)? to (?:https?://)?|refused: /?|timed out: /?)([\\w.\\-]+:\\d+|\\[[0-9a-f:]+\\](?::\\d+)?)");

    private Failures() {
    }

    /** {@code subject: root cause}, without repeating the subject when the cause already starts with it. */
    public static String sentence(String subject, Throwable t) {
        return about(subject, rootCause(t));
    }

    /** {@code subject: message}, without repeating the subject when {@code message} already starts with it. */
    public static String about(String subject, String message) {
        if (subject == null || subject.isBlank()) {
            return message;
        }
        String m = message;
        while (m.startsWith(subject + ": ")) {
            m = m.substring(subject.length() + 2);
        }
        return subject + ": " + m;
    }

    /** What went wrong, in one line, from the root of {@code t}'s cause chain. */
    public static String rootCause(Throwable t) {
        if (t == null) {
            return "unknown failure";
        }
        List<Throwable> chain = chain(t);
        String network = network(chain, null);
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            Throwable c = chain.get(i);
            if (isSentence(c)) {
                // a layer that already said it in one sentence (a destination's own error): nothing below says it better
                messages.add(clean(c.getMessage()));
                break;
            }
            String m = message(c, i + 1 < chain.size() ? chain.get(i + 1) : null);
            if (m != null) {
                messages.add(m);
            }
        }
        if (network != null && chain.stream().noneMatch(Failures::isSentence)) {
            return network;
        }
        if (messages.isEmpty()) {
            return words(chain.get(chain.size() - 1).getClass().getSimpleName());
        }
        String head = messages.get(0);
        String root = messages.get(messages.size() - 1);
        if (head.contains(root)) {
            return head;
        }
        if (root.contains(head)) {
            return root;
        }
        return head + ": " + root;
    }

    private static List<Throwable> chain(Throwable t) {
        List<Throwable> chain = new ArrayList<>();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable c = t; c != null && seen.put(c, Boolean.TRUE) == null && chain.size() < 32; c = c.getCause()) {
            chain.add(c);
        }
        return chain;
    }

    /** A Caravan exception whose message is already the whole sentence (e.g. {@code DestinationException}). */
    private static boolean isSentence(Throwable t) {
        return t.getClass().getName().startsWith("dev.caravan.") && t.getMessage() != null && !t.getMessage().isBlank()
                && t.getClass().getSimpleName().equals("DestinationException");
    }

    /** The message {@code t} adds to its cause, or null when it adds nothing. */
    private static String message(Throwable t, Throwable cause) {
        if (WRAPPERS.contains(t.getClass().getSimpleName()) && cause != null) {
            return null;
        }
        String m = t.getMessage();
        if (m == null || m.isBlank() || m.startsWith("Exception occurred during execution on the exchange")) {
            return null;
        }
        if (cause != null && (m.equals(cause.toString()) || m.equals(cause.getMessage()))) {
            return null;
        }
        if (t instanceof NoSuchFileException e) {
            return "no such file " + e.getFile() + (e.getReason() != null ? " (" + e.getReason() + ")" : "");
        }
        if (t instanceof AccessDeniedException e) {
            return "permission denied: " + e.getFile();
        }
        if (t instanceof FileAlreadyExistsException e) {
            return "already exists: " + e.getFile();
        }
        return clean(m);
    }

    /**
     * The sentence for a network failure of any client ({@code cannot connect to HOST:PORT (connection refused)}),
     * or null when {@code t} is not one; {@code where} names the peer when no message in the chain does.
     */
    public static String network(Throwable t, String where) {
        return t == null ? null : network(chain(t), where);
    }

    private static String network(List<Throwable> chain, String fallback) {
        String where = fallback;
        for (Throwable c : chain) {
            if (c.getMessage() != null) {
                Matcher m = HOST_PORT.matcher(c.getMessage());
                if (m.find()) {
                    where = m.group(1);
                    break;
                }
            }
        }
        for (Throwable c : chain) {
            if (c instanceof ConnectException) {
                return "cannot connect" + (where != null ? " to " + where : "") + " (connection refused)";
            }
            if (c instanceof NoRouteToHostException) {
                return "cannot connect" + (where != null ? " to " + where : "") + " (no route to host)";
            }
            if (c instanceof UnknownHostException u) {
                return "unknown host " + (u.getMessage() != null ? u.getMessage().split(":")[0] : where);
            }
            if (c instanceof SocketTimeoutException) {
                return "no answer" + (where != null ? " from " + where : "") + " (timed out)";
            }
        }
        return null;
    }

    private static String clean(String m) {
        String s = m.strip();
        Matcher p = CLASS_PREFIX.matcher(s);
        while (p.find()) {
            s = s.substring(p.end());
            p = CLASS_PREFIX.matcher(s);
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl).strip();
    }

    /** {@code IllegalStateException} -> {@code illegal state}, for an exception without a message. */
    private static String words(String simpleName) {
        String n = simpleName.replaceFirst("(Exception|Error)$", "");
        return n.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase();
    }
}
