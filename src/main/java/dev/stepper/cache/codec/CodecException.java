package dev.stepper.cache.codec;

import javax.cache.CacheException;

/** A key or value could not be encoded or decoded. */
public class CodecException extends CacheException {

  private static final long serialVersionUID = 1L;

  private final String refusedClass;

  /**
   * @param message what went wrong and what to do about it
   * @param cause the underlying failure, may be {@code null}
   */
  public CodecException(String message, Throwable cause) {
    this(message, cause, null);
  }

  CodecException(String message, Throwable cause, String refusedClass) {
    super(message, cause);
    this.refusedClass = refusedClass;
  }

  /**
   * @return the class a codec's allow-list refused, so that the cache can say where to allow it;
   *     {@code null} for any other failure
   */
  public String refusedClass() {
    return refusedClass;
  }
}
