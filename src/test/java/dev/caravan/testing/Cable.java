package dev.caravan.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP cable between Caravan and a test server on loopback, that a test can pull out and plug back in:
 * {@link #cut()} closes the listening port and resets every open connection (the client then sees
 * "connection refused", as when the server is stopped), {@link #restore()} listens again on the same
 * port. Hand-written (about 100 lines) because no proxy library is on the test classpath and Toxiproxy
 * would be one more server binary; it lets the fault matrix stop S3Proxy, Azurite and the SFTP server
 * in milliseconds instead of restarting a JVM or a node process for every cell.
 */
public final class Cable implements AutoCloseable {
    private final int targetPort;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;

    private Cable(int targetPort, int port) {
        this.targetPort = targetPort;
        this.port = port;
    }

    /** A cable from a free loopback port to {@code targetPort}, plugged in. */
    public static Cable to(int targetPort) throws IOException {
        Cable c = new Cable(targetPort, ServerProcess.freePort());
        c.restore();
        return c;
    }

    /** The port clients connect to (instead of the server's own). */
    public int port() {
        return port;
    }

    public boolean connected() {
        ServerSocket l = listener;
        return l != null && !l.isClosed();
    }

    /** Plugs the cable back in: the port accepts connections again. */
    public synchronized void restore() throws IOException {
        if (connected()) {
            return;
        }
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        listener = s;
        Thread accept = new Thread(() -> accept(s), "cable-" + port);
        accept.setDaemon(true);
        accept.start();
    }

    /** Pulls the cable: no new connection is accepted, and every open one is reset. */
    public synchronized void cut() {
        ServerSocket l = listener;
        listener = null;
        closeQuietly(l);
        for (Socket s : open) {
            try {
                s.setSoLinger(true, 0); // RST, as a dying server's kernel would send
            } catch (IOException ignored) {
                // already closed
            }
            closeQuietly(s);
        }
        open.clear();
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                synchronized (this) {
                    if (listener != s) { // cut while this connection was being made: it must not outlive the cut
                        closeQuietly(client);
                        closeQuietly(server);
                        continue;
                    }
                    open.add(client);
                    open.add(server);
                }
                pump(client, server);
                pump(server, client);
            } catch (IOException e) {
                // the listener was closed by cut(), or the server refused: the client's connection ends
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                }
            } catch (IOException ignored) {
                // one side went away; closing both below ends the other pump
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "cable-" + port + "-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // already closed
            }
        }
    }

    @Override
    public void close() {
        cut();
    }
}
