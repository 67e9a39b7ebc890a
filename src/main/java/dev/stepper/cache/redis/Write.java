package dev.stepper.cache.redis;

/**
 * One conditional change of one entry, applied atomically by a Lua script in one round trip.
 *
 * <p>A write may be a <em>probe</em>: it checks its condition and reports whether the entry exists
 * without changing anything. The cache probes when it must run Java code that depends on the
 * entry's existence (an expiry policy, a cache writer) before the change, then sends the change
 * with a {@linkplain Condition#narrowedTo narrowed} condition.
 *
 * @param condition what must hold
 * @param action what to do
 * @param value the bytes to store, for {@link Action#SET}
 * @param ifCreated the time-to-live of an entry this write creates
 * @param ifExisting the time-to-live of an existing entry this write sets or touches
 * @param returnPrevious whether the result carries the bytes that were there before
 * @param probe whether this only checks
 * @param blind whether the caller needs to know nothing of what was there (not even whether the
 *     entry existed): such a write may go as a plain {@code SET} while nobody listens
 */
public record Write(Condition condition, Action action, byte[] value, Ttl ifCreated,
    Ttl ifExisting, boolean returnPrevious, boolean probe, boolean blind) {

  /** What a write does when its condition holds. */
  public enum Action {
    /** Store the value, creating or updating the entry. */
    SET("S"),
    /** Remove the entry. */
    DELETE("D"),
    /** Apply {@code ifExisting} to an existing entry's time-to-live. */
    TOUCH("T");

    final String arg;

    Action(String arg) {
      this.arg = arg;
    }
  }

  private static final byte[] NO_VALUE = new byte[0];

  /**
   * @param value the bytes to store
   * @param ifCreated the time-to-live if the entry is new
   * @param ifExisting the time-to-live if it exists
   * @return an unconditional write of the value
   */
  public static Write set(byte[] value, Ttl ifCreated, Ttl ifExisting) {
    return new Write(Condition.ANY, Action.SET, value, ifCreated, ifExisting, false, false,
        false);
  }

  /** @return an unconditional removal */
  public static Write delete() {
    return new Write(Condition.ANY, Action.DELETE, NO_VALUE, Ttl.KEEP, Ttl.KEEP, false, false,
        false);
  }

  /**
   * @param ttl the new time-to-live of the entry if it exists
   * @return an unconditional touch
   */
  public static Write touch(Ttl ttl) {
    return new Write(Condition.ANY, Action.TOUCH, NO_VALUE, Ttl.KEEP, ttl, false, false, false);
  }

  /**
   * @param newCondition what must hold
   * @return this write under that condition
   */
  public Write when(Condition newCondition) {
    return new Write(newCondition, action, value, ifCreated, ifExisting, returnPrevious, probe,
        blind);
  }

  /**
   * @param previous whether to return the previous bytes
   * @return this write, returning the previous bytes or not
   */
  public Write returningPrevious(boolean previous) {
    return new Write(condition, action, value, ifCreated, ifExisting, previous, probe, blind);
  }

  /** @return this write as a probe, which returns no previous value */
  public Write asProbe() {
    return new Write(condition, action, value, ifCreated, ifExisting, false, true, false);
  }

  /**
   * The write to send after a probe: same action, a narrowed condition and the time-to-live the
   * cache decided.
   *
   * @param existed what the probe found
   * @param ttl the time-to-live for that case
   * @return the write
   */
  public Write afterProbe(boolean existed, Ttl ttl) {
    return new Write(condition.narrowedTo(existed), action, value,
        existed ? ifCreated : ttl, existed ? ttl : ifExisting, returnPrevious, false, false);
  }

  /**
   * @param isBlind whether the caller needs to know nothing of what was there
   * @return this write, blind or not
   */
  public Write blind(boolean isBlind) {
    return new Write(condition, action, value, ifCreated, ifExisting, returnPrevious, probe,
        isBlind);
  }

  /**
   * The one time-to-live this write gives the entry whether it exists or not, when it may go as a
   * plain {@code SET}: a blind, unconditional store whose time-to-live does not depend on what is
   * there. "Keep" after an eternal creation counts as eternal: under the policy that asks for it
   * (JCache's eternal one) every entry of the cache is eternal already.
   *
   * @return {@link Ttl#ETERNAL}, a time in milliseconds, or {@code null} if the script must decide
   */
  Ttl plainTtl() {
    if (!blind || probe || returnPrevious || action != Action.SET || condition != Condition.ANY) {
      return null;
    }
    if (ifCreated == Ttl.ETERNAL) {
      return ifExisting == Ttl.ETERNAL || ifExisting == Ttl.KEEP ? Ttl.ETERNAL : null;
    }
    return ifCreated.isMillis() && ifCreated.arg().equals(ifExisting.arg()) ? ifCreated : null;
  }

  String flags() {
    return (returnPrevious ? "o" : "") + (probe ? "p" : "");
  }
}
