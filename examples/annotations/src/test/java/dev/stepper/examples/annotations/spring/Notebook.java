package dev.stepper.examples.annotations.spring;

/**
 * What the restarted application offers the test. This interface is loaded once, by the test's
 * class loader, so the test can call an application whose classes each restart loads anew; its
 * results are {@code Object} for the same reason.
 */
public interface Notebook {

  /**
   * @param id the note's id
   * @return the note, from the cache whose values are JDK-serialized
   */
  Object jdk(String id);

  /**
   * @param id the note's id
   * @return the note, from the cache whose values are JSON
   */
  Object json(String id);

  /** @return how often a method body ran in this application (not the cache) */
  int bodyCalls();
}
