package dev.stepper.cache.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects the JVM-wide real {@link RedisEndpoint} into test constructors, test methods and
 * lifecycle methods. Usually applied through {@link RedisTest @RedisTest}.
 */
public final class RedisExtension implements ParameterResolver {

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    // A cluster variant of a test class (annotated @RedisClusterTest) gets the cluster instead.
    return parameterContext.getParameter().getType() == RedisEndpoint.class
        && !extensionContext.getRequiredTestClass().isAnnotationPresent(RedisClusterTest.class);
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    try {
      return RedisProvisioner.shared();
    } catch (RuntimeException e) {
      // Keep the provisioner's message first: it says how to get a Redis.
      throw new ParameterResolutionException(e.getMessage(), e);
    }
  }
}
