package dev.stepper.cache.testing;

/**
 * The unit tests run apart from those that need Redis ({@code stepper.test.redis=none}), and such
 * a run refuses to reach or start a Redis: a test that needs one but is not tagged for the
 * integration run fails at once, saying how to tag it, instead of slowing the unit run down.
 */
final class UnitRun {

  static final String PROPERTY = "stepper.test.redis";
  static final String NONE = "none";

  private UnitRun() {}

  static boolean isOn() {
    return NONE.equals(System.getProperty(PROPERTY));
  }

  /** @param what what the test asked for, for the message */
  static void refuseRedis(String what) {
    if (isOn()) {
      throw new IllegalStateException(what + " in the unit test run (" + PROPERTY + "=" + NONE
          + "): a test that needs Redis carries @RedisTest, @RedisClusterTest or"
          + " @Tag(RedisTest.TAG), so that it runs with the integration tests");
    }
  }
}
