package dev.stepper.examples.annotations.guice;

import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.annotation.CacheResult;

/** An annotated method whose cache the YAML file does not declare: the RI creates it. */
public class GreetingService {

  private final AtomicInteger bodyCalls = new AtomicInteger();

  /** Made by Guice. */
  public GreetingService() {}

  /**
   * @param name who to greet
   * @return the greeting, cached under the RI's default key
   */
  @CacheResult(cacheName = "undeclared")
  public String greet(String name) {
    bodyCalls.incrementAndGet();
    return "Hello, " + name;
  }

  /** @return how often the method body ran (not the cache) */
  public int bodyCalls() {
    return bodyCalls.get();
  }
}
