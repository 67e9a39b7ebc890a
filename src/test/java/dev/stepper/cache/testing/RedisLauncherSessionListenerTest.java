package dev.stepper.cache.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.LauncherSessionListener;

/** The listener hands the TCK a real Redis through {@code stepper.cache.uri}. */
@Tag(RedisTest.TAG) // starts or reaches Redis itself
class RedisLauncherSessionListenerTest {

  private static final String PROPERTY = RedisLauncherSessionListener.URI_PROPERTY;
  private static final String PREFIX = RedisLauncherSessionListener.PREFIX_PROPERTY;

  private String original;
  private String originalPrefix;

  @BeforeEach
  void saveProperty() {
    original = System.getProperty(PROPERTY);
    originalPrefix = System.getProperty(PREFIX);
  }

  @AfterEach
  void restoreProperty() {
    restore(PROPERTY, original);
    restore(PREFIX, originalPrefix);
  }

  private static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }

  @Test
  void isRegisteredAsAServiceSoEveryLauncherRunsIt() {
    assertTrue(ServiceLoader.load(LauncherSessionListener.class).stream()
        .anyMatch(p -> p.type() == RedisLauncherSessionListener.class));
    assertNotNull(original, "the launcher running this test should have set " + PROPERTY);
  }

  @Test
  void setsTheSharedUriWithAFreshTckPrefix() {
    System.clearProperty(PROPERTY);
    new RedisLauncherSessionListener().launcherSessionOpened(null);

    URI uri = URI.create(System.getProperty(PROPERTY));
    URI base = RedisProvisioner.shared().uri();
    assertEquals(base.getHost(), uri.getHost());
    assertEquals(base.getPort(), uri.getPort());
    assertEquals(base.getRawQuery(), uri.getRawQuery(), "no '?' of ours: MXBean names use it");
    assertTrue(System.getProperty(PREFIX).matches("tck-[0-9a-f]{8}"), System.getProperty(PREFIX));
  }

  @Test
  void leavesAnExplicitUriAlone() {
    System.setProperty(PROPERTY, "redis://example.invalid:1");
    new RedisLauncherSessionListener().launcherSessionOpened(null);
    assertEquals("redis://example.invalid:1", System.getProperty(PROPERTY));
  }
}
