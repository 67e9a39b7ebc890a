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
 * Marks a test class that needs a real Redis: {@link RedisEndpoint} parameters of its
 * constructor, test and lifecycle methods are injected by {@link RedisExtension}. It is tagged
 * {@value #TAG}, which puts it in the integration run; a class that starts servers of its own
 * carries {@code @Tag(RedisTest.TAG)} instead.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(RedisExtension.class)
@Tag(RedisTest.TAG)
public @interface RedisTest {

  /** The tag of every test that needs Redis: the build runs them apart from the unit tests. */
  String TAG = "redis";
}
