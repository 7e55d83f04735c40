package dev.caravan.io;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks the password of every URL with userinfo in a text: {@code redis://default:PW@host:6379}
 * becomes {@code redis://default:***@host:6379}. The one place that knows how; everything that
 * prints, logs or records a URL, a restore target or an error that may quote one goes through it
 * (the CLI's output and the process's stderr as a whole, audit lines, run reports, alerts, the
 * status page), and {@code ToolRun} refuses a child command line that would carry one.
 */
public final class Redact {
    public static final String MASK = "***";

    /**
     * {@code scheme://user:password@}: the password may hold anything but white space, quotes and
     * {@code @} (an {@code @} in a password must be written {@code %40} in a URL anyway).
     */
    private static final Pattern USERINFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.\\-]*://[^\\s/:@\"'<>]*):([^\\s@\"'<>]+)@");

    private Redact() {
    }

    /** The text with the password of every URL in it replaced by {@value #MASK}; null stays null. */
    public static String text(String s) {
        if (s == null || s.indexOf("://") < 0) {
            return s;
        }
        Matcher m = USERINFO.matcher(s);
        if (!m.find()) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        do {
            if (MASK.equals(m.group(2))) {
                m.appendReplacement(b, Matcher.quoteReplacement(m.group()));
            } else {
                m.appendReplacement(b, Matcher.quoteReplacement(m.group(1) + ":" + MASK + "@"));
            }
        } while (m.find());
        m.appendTail(b);
        return b.toString();
    }

    /** Whether the text holds a URL with a password. */
    public static boolean hasSecret(String s) {
        return s != null && !s.equals(text(s));
    }

    /** A writer that masks what passes through it, line by line (a partial line goes out on flush). */
    public static PrintWriter writer(Writer out) {
        return new PrintWriter(new LineWriter(out), true);
    }

    /** The same for a byte stream of text, such as {@code System.err} with the log lines on it. */
    public static PrintStream stream(OutputStream out, Charset charset) {
        return new PrintStream(new LineStream(out, charset), true, charset);
    }

    private static final class LineWriter extends Writer {
        private final Writer out;
        private final StringBuilder line = new StringBuilder();

        LineWriter(Writer out) {
            this.out = out;
        }

        @Override
        public synchronized void write(char[] cbuf, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) {
                line.append(cbuf[i]);
                if (cbuf[i] == '\n') {
                    emit();
                }
            }
        }

        private void emit() throws IOException {
            out.write(text(line.toString()));
            line.setLength(0);
        }

        @Override
        public synchronized void flush() throws IOException {
            emit();
            out.flush();
        }

        @Override
        public synchronized void close() throws IOException {
            flush();
            out.close();
        }
    }

    private static final class LineStream extends FilterOutputStream {
        private final Charset charset;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

        LineStream(OutputStream out, Charset charset) {
            super(out);
            this.charset = charset;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            line.write(b);
            if (b == '\n') {
                emit();
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        private void emit() throws IOException {
            if (line.size() > 0) {
                out.write(text(line.toString(charset)).getBytes(charset));
                line.reset();
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            emit();
            out.flush();
        }
    }
}
