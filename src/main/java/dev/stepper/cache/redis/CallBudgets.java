package dev.stepper.cache.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The call budgets of one cache's jobs, kept by {@code budget.lua} and shared by every JVM: per
 * budget name, a bound on calls in flight and on calls started per window of time. A slot is held under a
 * lease, so a JVM that dies mid-call gives its slot back when the lease runs out. Thread-safe.
 */
public final class CallBudgets {

  private static final LuaScript BUDGET = LuaScript.load("budget.lua");

  private final RedisConnector connector;
  private final KeyLayout layout;

  CallBudgets(RedisConnector connector, KeyLayout layout) {
    this.connector = connector;
    this.layout = layout;
  }

  /**
   * Takes a slot of a budget, if it has one free.
   *
   * @param name the budget
   * @param token the call's unique token
   * @param maxInFlight most calls in flight over all JVMs; 0 for no bound
   * @param rate most calls started per {@code window} over all JVMs; 0 for no bound
   * @param window the rate's sliding window
   * @param lease how long the slot is held unless released first
   * @return what was found
   */
  public Grant acquire(String name, String token, int maxInFlight, int rate, Duration window,
      Duration lease) {
    List<Object> reply = run(name, "A", token, Integer.toString(maxInFlight),
        Integer.toString(rate), Long.toString(Math.max(1, lease.toMillis())),
        Long.toString(Math.max(1, window.toMillis())));
    return (Long) reply.get(0) == 1L ? Grant.ACQUIRED
        : new Grant(false, Duration.ofMillis((Long) reply.get(1)), (Long) reply.get(2) == 1L);
  }

  /**
   * What an attempt to take a slot found.
   *
   * @param acquired whether the caller holds a slot now
   * @param freeWithin if not, how long until a slot frees up at the latest: exact when the rate
   *     is spent, while a call in flight may end sooner
   * @param rateSpent whether the rate (rather than the calls in flight) refused it
   */
  public record Grant(boolean acquired, Duration freeWithin, boolean rateSpent) {
    static final Grant ACQUIRED = new Grant(true, Duration.ZERO, false);
  }

  /** Gives a slot back; one whose lease ran out is gone already. */
  public void release(String name, String token) {
    run(name, "R", token);
  }

  /** @return the calls of a budget in flight now, over all JVMs */
  public long inFlight(String name) {
    return (Long) run(name, "S").get(0);
  }

  private List<Object> run(String name, String... args) {
    byte[][] argv = new byte[args.length][];
    for (int i = 0; i < args.length; i++) {
      argv[i] = args[i].getBytes(StandardCharsets.UTF_8);
    }
    return connector.send(BUDGET.call(layout.budgetKeys(name), argv), "Budget " + name,
        !"S".equals(args[0]));
  }
}
