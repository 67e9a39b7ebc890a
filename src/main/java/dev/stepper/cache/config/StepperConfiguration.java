package dev.stepper.cache.config;

import dev.stepper.cache.codec.CodecFactory;
import dev.stepper.cache.codec.Codecs;
import java.util.Objects;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.MutableConfiguration;

/**
 * A {@link MutableConfiguration} that also chooses how keys and values are encoded in Redis.
 *
 * <p>By default keys declared as {@code String} are stored as UTF-8 text, other keys and all
 * values with JDK serialization restricted to an allow-list ({@link Codecs#jdk(String...)}). For
 * readable JSON values, declare the types and choose {@link Codecs#json()}:
 *
 * <pre>{@code
 * var config = new StepperConfiguration<String, Report>()
 *     .setValueCodec(Codecs.json());
 * config.setTypes(String.class, Report.class);
 * }</pre>
 *
 * <p>Caches of every JVM sharing the entries must use the same codecs. Like its superclass, this
 * class is not thread-safe; the cache copies it when it is created.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public class StepperConfiguration<K, V> extends MutableConfiguration<K, V> {

  private static final long serialVersionUID = 1L;

  private CodecFactory keyCodec;
  private CodecFactory valueCodec;
  private NearCache nearCache;

  /** A configuration with JCache's defaults and the default codecs. */
  public StepperConfiguration() {}

  /**
   * A copy of another configuration, including its codecs if it is a {@code StepperConfiguration}.
   *
   * @param configuration the configuration to copy
   */
  public StepperConfiguration(CompleteConfiguration<K, V> configuration) {
    super(configuration);
    if (configuration instanceof StepperConfiguration<K, V> stepper) {
      this.keyCodec = stepper.keyCodec;
      this.valueCodec = stepper.valueCodec;
      this.nearCache = stepper.nearCache;
    }
  }

  /** @return the key codec's factory, or {@code null} for the default */
  public CodecFactory getKeyCodec() {
    return keyCodec;
  }

  /**
   * @param keyCodec how keys become the last part of their Redis key ({@code null}: the default);
   *     it must encode equal keys to equal bytes
   * @return this configuration
   */
  public StepperConfiguration<K, V> setKeyCodec(CodecFactory keyCodec) {
    this.keyCodec = keyCodec;
    return this;
  }

  /** @return the value codec's factory, or {@code null} for the default */
  public CodecFactory getValueCodec() {
    return valueCodec;
  }

  /**
   * @param valueCodec how values are stored ({@code null}: the default)
   * @return this configuration
   */
  public StepperConfiguration<K, V> setValueCodec(CodecFactory valueCodec) {
    this.valueCodec = valueCodec;
    return this;
  }

  /** @return the near cache's settings, or {@code null} if the cache has none (the default) */
  public NearCache getNearCache() {
    return nearCache;
  }

  /**
   * @param nearCache keep copies of hot entries in this JVM, invalidated by Redis ({@code null}:
   *     none, every read goes to Redis)
   * @return this configuration
   */
  public StepperConfiguration<K, V> setNearCache(NearCache nearCache) {
    this.nearCache = nearCache;
    return this;
  }

  /**
   * Equal to another configuration with the same settings; a plain {@code MutableConfiguration}
   * counts as one with default codecs, so that equality stays symmetric.
   */
  @Override
  public boolean equals(Object other) {
    if (!super.equals(other)) {
      return false;
    }
    var that = other instanceof StepperConfiguration<?, ?> s ? s : new StepperConfiguration<>();
    return Objects.equals(keyCodec, that.keyCodec) && Objects.equals(valueCodec, that.valueCodec)
        && Objects.equals(nearCache, that.nearCache);
  }

  @Override
  public int hashCode() {
    // equal to the superclass's hash when the codecs are the defaults, as equals requires
    return super.hashCode() ^ Objects.hashCode(keyCodec) ^ 31 * Objects.hashCode(valueCodec)
        ^ 961 * Objects.hashCode(nearCache);
  }
}
