package dev.stepper.cache.codec;

import javax.cache.CacheException;

/** A key or value could not be encoded or decoded. */
public class CodecException extends CacheException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what went wrong and what to do about it
   * @param cause the underlying failure, may be {@code null}
   */
  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
