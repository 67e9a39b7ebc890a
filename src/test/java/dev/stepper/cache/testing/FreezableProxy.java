package dev.stepper.cache.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on a free loopback port in front of a real server, which a test can freeze: bytes
 * stop flowing both ways while every connection stays open, as in a network partition that neither
 * end notices (no reset, no close, so no disconnect either side could react to).
 */
public final class FreezableProxy implements AutoCloseable {

  private final ServerSocket listener;
  private final String targetHost;
  private final int targetPort;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final Object gate = new Object();
  private boolean frozen;
  private volatile boolean closed;

  /**
   * @param targetHost where the server runs
   * @param targetPort its port
   * @throws IOException if no loopback port can be had
   */
  public FreezableProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    daemon("proxy-accept-" + port(), this::accept);
  }

  /** @return the loopback port clients connect to */
  public int port() {
    return listener.getLocalPort();
  }

  /** Stops forwarding: whatever either end sends waits in the proxy. */
  public void freeze() {
    synchronized (gate) {
      frozen = true;
    }
  }

  /** Forwards again, what waited first. */
  public void thaw() {
    synchronized (gate) {
      frozen = false;
      gate.notifyAll();
    }
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(targetHost, targetPort);
        sockets.add(client);
        sockets.add(server);
        daemon("proxy-up-" + client.getPort(), () -> pump(client, server));
        daemon("proxy-down-" + client.getPort(), () -> pump(server, client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        awaitThawed();
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // one end went away: the other goes too, below
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private void awaitThawed() throws InterruptedException {
    synchronized (gate) {
      while (frozen && !closed) {
        gate.wait();
      }
    }
  }

  private static void daemon(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  /** Closes the listener and every connection through it. */
  @Override
  public void close() throws IOException {
    closed = true;
    thaw();
    listener.close();
    sockets.forEach(FreezableProxy::closeQuietly);
  }
}
