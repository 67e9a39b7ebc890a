package dev.stepper.cache.report;

import java.lang.annotation.Annotation;
import javax.cache.annotation.CacheInvocationParameter;
import javax.cache.annotation.CacheKeyGenerator;
import javax.cache.annotation.CacheKeyInvocationContext;
import javax.cache.annotation.GeneratedCacheKey;

/**
 * Makes the {@link ReportKey} of an annotated method, so that {@code @CacheResult} stores reports
 * under the same readable Redis keys as direct access ({@code stepper:report:user123:shaabc}),
 * whatever the framework (Spring, CDI, Guice):
 *
 * <pre>{@code
 * @CacheResult(cacheName = "report", cacheKeyGenerator = ReportKeyGenerator.class)
 * public Report diary(String user, String sha) { ... }
 * }</pre>
 *
 * <p>The method's key parameters (all of them, or those marked {@code @CacheKey}) must be one
 * {@code ReportKey} or two strings, the user and the commit id.
 */
public final class ReportKeyGenerator implements CacheKeyGenerator {

  /** Made by the annotation framework. */
  public ReportKeyGenerator() {}

  /**
   * @throws IllegalArgumentException if the key parameters are neither a {@code ReportKey} nor a
   *     user and a commit id, or if those are not valid (see {@link ReportKey})
   */
  @Override
  public GeneratedCacheKey generateCacheKey(
      CacheKeyInvocationContext<? extends Annotation> context) {
    CacheInvocationParameter[] parameters = context.getKeyParameters();
    if (parameters.length == 1 && parameters[0].getValue() instanceof ReportKey key) {
      return key;
    }
    if (parameters.length == 2 && parameters[0].getValue() instanceof String user
        && parameters[1].getValue() instanceof String sha) {
      return new ReportKey(user, sha);
    }
    throw new IllegalArgumentException("@" + context.getCacheAnnotation().annotationType()
        .getSimpleName() + " on " + context.getMethod() + ": ReportKeyGenerator needs the key"
        + " parameters to be one ReportKey or (String user, String sha); mark those with @CacheKey"
        + " if the method takes others");
  }
}
