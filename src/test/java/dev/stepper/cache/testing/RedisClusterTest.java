package dev.stepper.cache.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that needs a real Redis Cluster: {@link RedisEndpoint} parameters of its
 * constructor, test and lifecycle methods are the JVM-wide cluster, injected by
 * {@link RedisClusterExtension}. Tagged {@value RedisTest#TAG}, for the integration run.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RedisClusterExtension.class)
@Tag(RedisTest.TAG)
public @interface RedisClusterTest {
}
