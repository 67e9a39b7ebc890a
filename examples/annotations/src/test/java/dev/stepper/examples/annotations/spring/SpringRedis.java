package dev.stepper.examples.annotations.spring;

import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisTestBed;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The framework test bed of a Spring test class, registered as a static extension: before the
 * class's {@code @BeforeAll} methods it opens the bed, which picks a key prefix of the class's
 * own and sets the system properties {@code stepper.test.spring.<name>.redis} and
 * {@code .prefix} that the YAML file reads. After the class's {@code @AfterAll} methods (which
 * close its applications) it closes the bed, which deletes the prefix's keys and clears the
 * properties.
 */
final class SpringRedis implements BeforeAllCallback, AfterAllCallback {

  private final String area;
  private RedisTestBed bed;

  /** @param name the middle of the property names the YAML file reads */
  SpringRedis(String name) {
    this.area = "spring." + name;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    bed = RedisTestBed.open(RedisEndpoint.shared(), area);
  }

  /** @return the test bed: the prefix and the raw keys */
  RedisTestBed bed() {
    return bed;
  }

  @Override
  public void afterAll(ExtensionContext context) {
    bed.close();
  }
}
