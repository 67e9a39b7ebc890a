package dev.stepper.cache.config;

/**
 * Keys of the {@code Properties} given to {@code CachingProvider.getCacheManager(uri, loader,
 * properties)} that Stepper Cache reads. Frameworks pass them; Spring Boot's are set by the
 * provider's own auto-configuration ({@code dev.stepper.cache.spring}).
 */
public final class ManagerProperties {

  /**
   * A {@code java.util.function.Function<String, String>} that resolves the configuration file's
   * {@code ${NAME}} placeholders after the properties' own text values and before system
   * properties and the environment: a framework's configuration, such as Spring's
   * {@code Environment}.
   */
  public static final String PLACEHOLDER_SOURCE = "dev.stepper.cache.placeholder-source";

  /**
   * {@code "true"}: the caller is one more holder of the manager, which stays open until every
   * holder has called {@code close()}. Spring application contexts that share one configuration
   * file (as tests do) share one manager this way, and one context's close leaves the others'
   * caches open. Without it, {@code close()} closes the manager, as JCache has it.
   */
  public static final String SHARED_BY_HOLDERS = "dev.stepper.cache.shared-by-holders";

  private ManagerProperties() {}
}
