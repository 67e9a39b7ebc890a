package dev.stepper.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stepper.cache.testing.ManagerFixture;
import dev.stepper.cache.testing.RedisCluster;
import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisTest;
import dev.stepper.cache.testing.StringCaches;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.cache.Cache;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rediss://} seed nodes of a Redis Cluster whose nodes speak TLS to each other: the manager
 * learns the TLS ports from the cluster and serves one cache over every shard through them.
 */
@Tag(RedisTest.TAG) // starts or reaches Redis itself
@Timeout(60)
class ClusterTlsTest {

  @TempDir
  Path dir;
  private final ManagerFixture fixture = new ManagerFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void aCacheOverTlsSpreadsOverEveryShard() throws Exception {
    assumeTrue(RedisCluster.isAvailable(), "redis-server and redis-cli are not on PATH: no TLS cluster");
    TestCertificates.make(dir);
    RedisCluster cluster = fixture.own(RedisCluster.startWithTls(dir));
    Cache<String, String> cache = fixture.manager(URI.create(cluster.tlsUri() + "?verifyPeer=false&prefix="
        + RedisEndpoint.uniquePrefix("tls"))).createCache("secure", StringCaches.config());
    Map<String, String> entries = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      entries.put("k" + i, "over TLS " + i);
    }

    cache.putAll(entries);
    cache.put("single", "over TLS");

    assertEquals("over TLS", cache.get("single"));
    assertEquals(entries, cache.getAll(entries.keySet()));
    int iterated = 0;
    for (Cache.Entry<String, String> ignored : cache) {
      iterated++;
    }
    assertEquals(301, iterated);
    for (var master : cluster.masters()) {
      assertEquals(true, cluster.keyCount(master) > 50, "every master holds part: " + master);
    }
  }
}
