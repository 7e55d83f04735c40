package dev.caravan.source.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A connection string and the client made from it. Without {@code serverSelectionTimeoutMS} in the
 * URI a dead server is reported after 10 s instead of the driver's 30 s. Driver errors become one
 * sentence naming the source.
 */
final class MongoConnection {
    static final String DEFAULT_URI = "mongodb://localhost:27017";
    private static final int SELECTION_TIMEOUT_MS = 10_000;

    private final String who;
    private final ConnectionString uri;

    MongoConnection(String who, String uri) {
        this.who = who;
        problem(uri).ifPresent(p -> {
            throw new IllegalArgumentException(who + ": " + p);
        });
        this.uri = new ConnectionString(uri);
    }

    /** Why {@code uri} is not a connection string the driver takes, or empty; the URI itself is never quoted (it may hold a password). */
    static Optional<String> problem(String uri) {
        try {
            new ConnectionString(uri);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            String why = firstLine(String.valueOf(e.getMessage()).replace(uri, "the uri"));
            return Optional.of("uri is not a MongoDB connection string (mongodb://host:port or mongodb+srv://host): " + why);
        }
    }

    ConnectionString uri() {
        return uri;
    }

    /** Host list for messages; never the credentials. */
    String hosts() {
        return String.join(",", uri.getHosts());
    }

    MongoClient open() {
        MongoClientSettings.Builder b = MongoClientSettings.builder().applyConnectionString(uri);
        if (uri.getServerSelectionTimeout() == null) {
            b.applyToClusterSettings(c -> c.serverSelectionTimeout(SELECTION_TIMEOUT_MS, TimeUnit.MILLISECONDS));
        }
        return MongoClients.create(b.build());
    }

    /** {@code mongo 'app': <what> failed: <cause>}, one line. */
    IOException failure(String what, MongoException e) {
        String cause;
        if (e instanceof MongoTimeoutException) {
            cause = "no MongoDB server answered at " + hosts() + rootCause(e);
        } else if (e instanceof MongoSecurityException) {
            cause = "authentication failed at " + hosts() + rootCause(e);
        } else {
            cause = firstLine(e.getMessage());
        }
        return new IOException(who + ": " + what + " failed: " + cause, e);
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        if (t != e && t.getMessage() != null) {
            return " (" + firstLine(t.getMessage()) + ")";
        }
        String m = e.getMessage() == null ? "" : e.getMessage();
        int i = m.indexOf("caused by {");
        if (i >= 0) {
            int end = m.indexOf('}', i);
            return " (" + m.substring(i + 11, end < 0 ? m.length() : end) + ")";
        }
        return "";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 400 ? line.substring(0, 400) + "..." : line;
    }
}
