package dev.stepper.cache.spring;

import dev.stepper.cache.report.ReportKey;
import java.lang.reflect.Method;
import org.springframework.cache.interceptor.KeyGenerator;

/**
 * Makes the {@link ReportKey} of a method annotated with Spring's cache annotations, so that
 * reports live under the same readable Redis keys as with direct access
 * ({@code stepper:report:alice:c0ffee}), with no SpEL:
 *
 * <pre>{@code
 * @Cacheable(cacheNames = "report", keyGenerator = "reportKeys")
 * public Report diary(String user, String sha) { ... }
 * }</pre>
 *
 * <p>The auto-configuration offers it as the bean {@code reportKeys}. The method's arguments must
 * be one {@code ReportKey}, or the user and the commit id as two strings.
 */
public final class ReportKeys implements KeyGenerator {

  /** Made by the auto-configuration, or by the application as a bean of its own. */
  public ReportKeys() {}

  /**
   * @throws IllegalArgumentException before the method runs, if the arguments are neither a
   *     {@code ReportKey} nor a user and a commit id, or if those are not valid
   */
  @Override
  public Object generate(Object target, Method method, Object... params) {
    if (params.length == 1 && params[0] instanceof ReportKey key) {
      return key;
    }
    if (params.length == 2 && params[0] instanceof String user
        && params[1] instanceof String sha) {
      return new ReportKey(user, sha);
    }
    throw new IllegalArgumentException(method.getDeclaringClass().getSimpleName() + "."
        + method.getName() + ": the report cache's key generator 'reportKeys' needs the arguments"
        + " (String user, String sha) or one ReportKey; for a method with other arguments, give"
        + " the annotation key = \"new dev.stepper.cache.report.ReportKey(#user, #sha)\"");
  }
}
