package dev.stepper.cache.redis;

/**
 * What a {@link Write} found and did.
 *
 * @param outcome whether it applied, failed its condition, or only probed
 * @param existed whether the entry existed before
 * @param previous the bytes before, if asked for, or if a {@link Condition#holding} condition
 *     found other bytes; else {@code null}
 */
public record WriteResult(Outcome outcome, boolean existed, byte[] previous) {

  /** How a write ended. */
  public enum Outcome {
    /** The condition held and the action was carried out. */
    APPLIED,
    /** The condition did not hold; nothing changed. */
    CONDITION_FAILED,
    /** The condition held; nothing changed because the write was a probe. */
    PROBED,
    /**
     * A blind write stored its value as a plain command, without looking at what was there:
     * {@code existed} is {@code false} and {@code previous} {@code null}, whatever was there.
     */
    STORED
  }

  static final WriteResult STORED_BLIND = new WriteResult(Outcome.STORED, false, null);

  /** @return whether the write changed (or, for a probe, could change) the entry */
  public boolean holds() {
    return outcome != Outcome.CONDITION_FAILED;
  }
}
