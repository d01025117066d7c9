package dev.foreshadow.jobs.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP link between a client and a real server that a test can cut, as a network outage or a
 * stopped server does: {@link #cut()} closes every open connection and refuses new ones until
 * {@link #restore()}. Bytes pass unchanged; it only forwards, so the client talks to the real
 * server through it.
 */
final class FaultyLink implements AutoCloseable {

    private final int targetPort;
    private final int port;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger accepted =
            new java.util.concurrent.atomic.AtomicInteger();
    private volatile ServerSocket listener;

    FaultyLink(int targetPort) throws IOException {
        this(targetPort, 0);
    }

    /** A link on {@code port} (0: any free one) to the server's {@code targetPort}. */
    FaultyLink(int targetPort, int port) throws IOException {
        this.targetPort = targetPort;
        this.listener = listen(port);
        this.port = listener.getLocalPort();
        accept(listener);
    }

    /** The port clients connect to instead of the server's. */
    int port() {
        return port;
    }

    /** The connections clients have made through the link so far. */
    int accepted() {
        return accepted.get();
    }

    /** Closes every connection through the link and refuses new ones. */
    synchronized void cut() throws IOException {
        listener.close();
        for (Socket s : open) {
            s.close();
        }
        open.clear();
    }

    /** Accepts connections again, on the same port. */
    synchronized void restore() throws IOException {
        listener = listen(port);
        accept(listener);
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return s;
    }

    private void accept(ServerSocket from) {
        Thread t =
                new Thread(
                        () -> {
                            while (!from.isClosed()) {
                                try {
                                    Socket client = from.accept();
                                    accepted.incrementAndGet();
                                    Socket server =
                                            new Socket(
                                                    InetAddress.getLoopbackAddress(), targetPort);
                                    open.add(client);
                                    open.add(server);
                                    pump(client, server);
                                    pump(server, client);
                                } catch (IOException e) {
                                    // closed by cut(), or the server refused: the client sees it
                                }
                            }
                        },
                        "faulty-link-accept");
        t.setDaemon(true);
        t.start();
    }

    private static void pump(Socket from, Socket to) {
        Thread t =
                new Thread(
                        () -> {
                            byte[] buffer = new byte[1 << 16];
                            try (InputStream in = from.getInputStream();
                                    OutputStream out = to.getOutputStream()) {
                                for (int n; (n = in.read(buffer)) >= 0; ) {
                                    out.write(buffer, 0, n);
                                }
                            } catch (IOException e) {
                                // cut, or the other side closed
                            } finally {
                                closeQuietly(from);
                                closeQuietly(to);
                            }
                        },
                        "faulty-link-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        cut();
    }
}
