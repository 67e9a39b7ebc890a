package dev.stepper.cache.redis;

/** What must hold of an entry for a {@link Write} to apply; checked atomically in Redis. */
public final class Condition {

  /** Always holds. */
  public static final Condition ANY = new Condition("*");
  /** The entry does not exist. */
  public static final Condition ABSENT = new Condition("-");
  /** The entry exists. */
  public static final Condition PRESENT = new Condition("+");

  private final String arg;

  private Condition(String arg) {
    this.arg = arg;
  }

  /**
   * The entry exists and holds exactly these bytes. Only their SHA-1 is sent: this serves both
   * {@code replace(k, old, new)} and the compare-and-set that commits an entry processor (the
   * bytes act as the entry's version).
   *
   * @param bytes the expected stored bytes
   * @return the condition
   */
  public static Condition holding(byte[] bytes) {
    return new Condition("=" + LuaScript.sha1Hex(bytes));
  }

  /**
   * Narrows {@link #ANY} to what a probe found, so that the write applies only if nothing changed
   * in between; other conditions are already narrow enough.
   *
   * @param existed whether the probe found the entry
   * @return the narrowed condition
   */
  public Condition narrowedTo(boolean existed) {
    if (this != ANY) {
      return this;
    }
    return existed ? PRESENT : ABSENT;
  }

  String arg() {
    return arg;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Condition c && c.arg.equals(arg);
  }

  @Override
  public int hashCode() {
    return arg.hashCode();
  }

  @Override
  public String toString() {
    return arg.length() > 8 ? arg.substring(0, 8) + "..." : arg;
  }
}
