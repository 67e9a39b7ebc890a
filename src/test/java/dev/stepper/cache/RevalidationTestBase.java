package dev.stepper.cache;

import dev.stepper.cache.RevalidationFixture.Gate;
import dev.stepper.cache.testing.ManagerFixture;
import dev.stepper.cache.testing.RawRedis;
import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisTest;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every stale-while-revalidate test works with: a key prefix of its own on the shared Redis,
 * managers closed after the test, a raw connection to look at the keys, and a gate that holds jobs
 * until the test (or, at the latest, the end of the test) opens it.
 */
@RedisTest
abstract class RevalidationTestBase {

  final ManagerFixture fixture = new ManagerFixture();
  final Gate gate = new Gate();
  String prefix;
  URI uri;
  RawRedis raw;

  @BeforeEach
  void openTestBed(RedisEndpoint redis) {
    prefix = RedisEndpoint.uniquePrefix("swr");
    uri = redis.uriWithPrefix(prefix);
    raw = fixture.own(new RawRedis(redis.uri()));
  }

  @AfterEach
  void closeTestBed() {
    gate.open();
    fixture.close();
  }
}
