package dev.stepper.cache.config.file;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The file's shape, bound by Jackson with kebab-case keys ({@code key-type}); every field is
 * optional here, and {@link CacheDeclaration} says which are required and what they mean.
 */
final class FileModel {

  private FileModel() {}

  record Root(RedisSection redis, @JsonProperty("default") CacheSection defaults,
      Map<String, CacheSection> caches) {}

  record RedisSection(String uri, String prefix, String timeout, Integer waitForReplicas) {}

  record CacheSection(String keyType, String valueType, String keyCodec, String valueCodec,
      List<String> allow, ExpirySection expiry, LoaderSection loader, ClassSection writer,
      Boolean readThrough, Boolean writeThrough, Boolean statistics, Boolean management,
      Boolean createOnFirstUse, NearCacheSection nearCache) {}

  record NearCacheSection(Integer maxEntries, String maxTtl) {}

  record ExpirySection(Boolean eternal, String created, String accessed, String modified,
      String touched, RevalidationSection staleWhileRevalidate, String factory) {}

  record RevalidationSection(String fresh, String stale, String lease, Integer jobThreads,
      Integer jobQueue, BackoffSection backoff) {}

  record BackoffSection(String initial, Double multiplier, String max, Double jitter) {}

  record LoaderSection(@JsonProperty("class") String type, ReportSection report) {}

  record ClassSection(@JsonProperty("class") String type) {}

  record ReportSection(List<ProviderEntry> providers, String timeout) {}

  /**
   * A report provider: its class alone ({@code com.acme.Gemini}), or its class and its budget over
   * all JVMs ({@code {class: com.acme.Gemini, max-concurrent: 2, rate: 60}}, rate per minute
   * unless {@code rate-window} says otherwise).
   */
  record ProviderEntry(String type, Integer maxConcurrent, Integer rate, String rateWindow) {

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    ProviderEntry(@JsonProperty("class") String type,
        @JsonProperty("max-concurrent") Integer maxConcurrent,
        @JsonProperty("rate") Integer rate,
        @JsonProperty("rate-window") String rateWindow) {
      this.type = type;
      this.maxConcurrent = maxConcurrent;
      this.rate = rate;
      this.rateWindow = rateWindow;
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static ProviderEntry named(String type) {
      return new ProviderEntry(type, null, null, null);
    }

    boolean budgeted() {
      return maxConcurrent != null || rate != null || rateWindow != null;
    }
  }
}
