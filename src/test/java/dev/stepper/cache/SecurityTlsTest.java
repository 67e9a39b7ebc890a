package dev.stepper.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stepper.cache.testing.ManagerFixture;
import dev.stepper.cache.testing.PrivateRedis;
import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisServerProcess;
import dev.stepper.cache.testing.RedisTest;
import dev.stepper.cache.testing.StringCaches;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves that {@code rediss://} manager URIs really speak TLS to Redis: a TLS-only redis-server
 * with a certificate from a throw-away CA serves caches when the client is told not to verify the
 * peer, or trusts the CA; by default an unknown certificate is refused, and a plain
 * {@code redis://} client cannot talk to the TLS port at all.
 *
 * <p>Certificates are made at test time with {@code openssl}; without it, or without a
 * redis-server built with TLS, the tests are skipped saying so.
 */
@Tag(RedisTest.TAG) // starts or reaches Redis itself
class SecurityTlsTest {

  private static final String HOST = "127.0.0.1";
  private static final long START_TIMEOUT_MILLIS = 10_000;

  @TempDir
  Path dir;

  private final ManagerFixture fixture = new ManagerFixture();
  private Process server;
  private int port;

  @BeforeEach
  void startTlsRedis() throws IOException, InterruptedException {
    assumeTrue(RedisServerProcess.isAvailable(), "redis-server is not on PATH: no TLS server");
    TestCertificates.make(dir);
    port = PrivateRedis.unusedPort();
    Path log = dir.resolve("redis-server.log");
    server = new ProcessBuilder("redis-server",
        "--port", "0",
        "--tls-port", Integer.toString(port),
        "--bind", HOST,
        "--tls-cert-file", dir.resolve("server.crt").toString(),
        "--tls-key-file", dir.resolve("server.key").toString(),
        "--tls-ca-cert-file", dir.resolve("ca.crt").toString(),
        "--tls-auth-clients", "no",
        "--save", "",
        "--appendonly", "no",
        "--dir", dir.toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    awaitListening(log);
  }

  @AfterEach
  void stopTlsRedis() throws InterruptedException {
    try {
      fixture.close();
    } finally {
      if (server != null) {
        server.destroyForcibly();
        server.waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void tlsManagerWithoutPeerVerificationCanPutAndGet() {
    Cache<String, String> cache = cache(tlsUri("verifyPeer=NONE"));

    cache.put("k", "over TLS");

    assertEquals("over TLS", cache.get("k"));
  }

  @Test
  void tlsManagerTrustingTheCaThroughTheJvmTrustStoreCanPutAndGet() throws Exception {
    Path trustStore = trustStoreWithTheCa();
    Map<String, String> saved = new HashMap<>();
    for (String name : List.of("javax.net.ssl.trustStore", "javax.net.ssl.trustStorePassword",
        "javax.net.ssl.trustStoreType")) {
      saved.put(name, System.getProperty(name));
    }
    // JVM-wide, so restored at once: full verification (chain and 127.0.0.1 in the SAN) applies.
    System.setProperty("javax.net.ssl.trustStore", trustStore.toString());
    System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
    System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    try {
      Cache<String, String> cache = cache(tlsUri(null));

      cache.put("k", "verified");

      assertEquals("verified", cache.get("k"));
    } finally {
      saved.forEach((name, value) -> {
        if (value == null) {
          System.clearProperty(name);
        } else {
          System.setProperty(name, value);
        }
      });
    }
  }

  @Test
  void tlsManagerRefusesAnUntrustedCertificateByDefault() {
    Cache<String, String> cache = cache(tlsUri(null));

    CacheException e = assertThrows(CacheException.class, () -> cache.put("k", "v"));

    assertTrue(e.getMessage().contains(HOST + ":" + port), e.getMessage());
    // Refused by certificate checking, not by some unrelated failure on the way.
    assertTrue(hasCause(e, SSLHandshakeException.class), () -> describeChain(e));
  }

  @Test
  void plainManagerCannotTalkToTheTlsPort() {
    URI uri = URI.create("redis://" + HOST + ":" + port + "?timeout=1s&prefix="
        + RedisEndpoint.uniquePrefix("plain"));
    Cache<String, String> cache = cache(uri);

    CacheException e = assertThrows(CacheException.class, () -> cache.put("k", "v"));

    assertTrue(e.getMessage().contains(HOST + ":" + port), e.getMessage());
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  private static String describeChain(Throwable t) {
    var out = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      out.append(c).append('\n');
    }
    return out.toString();
  }

  private URI tlsUri(String extraQuery) {
    return URI.create("rediss://" + HOST + ":" + port + "?prefix="
        + RedisEndpoint.uniquePrefix("tls") + (extraQuery == null ? "" : "&" + extraQuery));
  }

  private Cache<String, String> cache(URI uri) {
    return fixture.managerOnPrivateServer(uri).createCache("secure", StringCaches.config());
  }

  private Path trustStoreWithTheCa() throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    try (InputStream in = Files.newInputStream(dir.resolve("ca.crt"))) {
      store.setCertificateEntry("stepper-test-ca",
          CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    Path file = dir.resolve("truststore.p12");
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, "changeit".toCharArray());
    }
    return file;
  }

  /** Waits until the TLS port accepts connections; a redis-server without TLS exits instead. */
  private void awaitListening(Path log) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        abort("redis-server could not serve TLS (exit " + server.exitValue() + "; built without"
            + " TLS support?): " + Files.readString(log));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(HOST, port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(20);
      }
    }
    abort("redis-server did not open TLS port " + port + " within " + START_TIMEOUT_MILLIS
        + " ms: " + Files.readString(log));
  }
}
