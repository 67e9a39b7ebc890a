package dev.stepper.examples.annotations.spring.restart;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;

/**
 * The application SpringBootRestartTest restarts, each time in a new class loader of its own; its
 * cache settings are all Boot properties naming {@code spring/restart-cache.yaml}.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@EnableCaching
public class RestartApp {

  /** Made by Spring. */
  public RestartApp() {}

  /** @return the cached service */
  @Bean
  public NoteService noteService() {
    return new NoteService();
  }
}
