package dev.stepper.examples.catalog;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;

/**
 * The catalog: {@code mvn -q -f examples/catalog compile exec:java
 * -Dexec.args=--spring.data.redis.url=redis://localhost:6379} runs it once against that Redis and
 * prints what the cache did.
 */
@SpringBootApplication
@EnableCaching
public class CatalogApplication {

  /**
   * Starts the application, shows a few cached calls, and stops.
   *
   * @param args Spring Boot's command-line arguments, such as {@code --spring.data.redis.url=…}
   */
  public static void main(String[] args) {
    try (var context = SpringApplication.run(CatalogApplication.class, args)) {
      Catalog catalog = context.getBean(Catalog.class);
      System.out.println("product p-1:      " + catalog.product("p-1"));
      System.out.println("again, cached:    " + catalog.product("p-1"));
      System.out.println("price p-1 in EUR: " + catalog.price("p-1", "EUR"));
      System.out.println("by name 'nope':   " + catalog.findByName("nope") + " (a cached null)");
      System.out.println("methods ran:      " + catalog.calls());
    }
  }
}
