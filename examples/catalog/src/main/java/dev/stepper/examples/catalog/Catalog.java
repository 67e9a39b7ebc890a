package dev.stepper.examples.catalog;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.CachePut;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/**
 * The catalog's service, cached with Spring's annotations as most Spring code is: the method's
 * argument as the key, a {@code SimpleKey} for several, a cached {@code null}, {@code condition}
 * and {@code unless}, {@code sync}. Each method counts its runs, so that the tests see what the
 * cache spared.
 */
@Service
public class Catalog {

  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final Map<String, ProductDto> saved = new ConcurrentHashMap<>();

  /**
   * @param id a product id
   * @return the product (declared in the file: String keys, JSON values)
   */
  @Cacheable("products")
  public ProductDto product(String id) {
    ran("product");
    return saved.getOrDefault(id, new ProductDto(id, "Product " + id,
        new ProductDto.Supplier("Acme", "NL"), Instant.parse("2026-12-01T09:30:00Z")));
  }

  /**
   * @param id a product id; ids shorter than three characters are not cached
   * @return the product
   */
  @Cacheable(cacheNames = "products", condition = "#id.length() > 2")
  public ProductDto productIfLong(String id) {
    ran("productIfLong");
    return product(id);
  }

  /**
   * @param name a product name
   * @return the product of that name, or {@code null}: cached too, so that a miss is not asked
   *     again
   */
  @Cacheable("lookups")
  public ProductDto findByName(String name) {
    ran("findByName");
    return null;
  }

  /**
   * @param sku a product id
   * @param currency a currency code
   * @return the price; the cache, declared nowhere, is made on first use
   */
  @Cacheable("prices")
  public BigDecimal price(String sku, String currency) {
    ran("price");
    return new BigDecimal(currency.equals("EUR") ? "9.99" : "11.49");
  }

  /**
   * @param sku a product id
   * @return the stock, not cached when it is zero
   */
  @Cacheable(cacheNames = "stock", unless = "#result == 0")
  public int stock(String sku) {
    ran("stock");
    return sku.endsWith("-sold-out") ? 0 : 7;
  }

  /**
   * @param product the product to save
   * @return the saved product, which the cache now holds
   */
  @CachePut(cacheNames = "products", key = "#product.id()")
  public ProductDto save(ProductDto product) {
    ran("save");
    saved.put(product.id(), product);
    return product;
  }

  /** @param id the product to forget */
  @CacheEvict("products")
  public void delete(String id) {
    ran("delete");
    saved.remove(id);
  }

  /** Prices changed: every cached price goes. */
  @CacheEvict(cacheNames = "prices", allEntries = true)
  public void repriceAll() {
    ran("repriceAll");
  }

  /**
   * A slow computation that every caller waits for rather than repeats.
   *
   * @param id a product id
   * @return its summary
   */
  @Cacheable(cacheNames = "summaries", sync = true)
  public String summary(String id) {
    ran("summary");
    LockSupport.parkNanos(300_000_000L);
    return "Summary of " + id;
  }

  /** @return how often each method ran */
  public Map<String, Integer> calls() {
    var counts = new TreeMap<String, Integer>();
    calls.forEach((method, count) -> counts.put(method, count.get()));
    return counts;
  }

  /** @return how often that method ran */
  public int calls(String method) {
    return calls.getOrDefault(method, new AtomicInteger()).get();
  }

  private void ran(String method) {
    calls.computeIfAbsent(method, any -> new AtomicInteger()).incrementAndGet();
  }
}
