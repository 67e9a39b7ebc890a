package dev.stepper.cache.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects the JVM-wide real Redis Cluster ({@link RedisCluster#shared()}) as a
 * {@link RedisEndpoint}. Usually applied through {@link RedisClusterTest @RedisClusterTest}.
 */
public final class RedisClusterExtension implements ParameterResolver {

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == RedisEndpoint.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    try {
      return RedisCluster.shared();
    } catch (RuntimeException e) {
      throw new ParameterResolutionException(e.getMessage(), e);
    }
  }
}
