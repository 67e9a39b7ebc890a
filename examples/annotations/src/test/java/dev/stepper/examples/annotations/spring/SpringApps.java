package dev.stepper.examples.annotations.spring;

import dev.stepper.cache.StepperCachingProvider;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts a Boot application configured as the README tells users to. */
final class SpringApps {

  private SpringApps() {}

  /**
   * Runs the application with the class loader of the calling thread's context, as Boot does.
   *
   * @param application its {@code @SpringBootConfiguration} class
   * @param config the YAML file, a class path resource
   * @param more more Boot properties, {@code name=value}
   * @return the running context; the caller closes it
   */
  static ConfigurableApplicationContext start(Class<?> application, String config,
      String... more) {
    return new SpringApplicationBuilder(application)
        .web(WebApplicationType.NONE)
        .bannerMode(Banner.Mode.OFF)
        .logStartupInfo(false)
        .properties(
            "spring.cache.type=jcache",
            "spring.cache.jcache.provider=" + StepperCachingProvider.class.getName(),
            "spring.cache.jcache.config=classpath:" + config)
        .properties(more)
        .run();
  }
}
