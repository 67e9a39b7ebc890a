package dev.stepper.cache.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.TypeFactory;
import java.io.IOException;

/**
 * Jackson JSON of one declared type, so that {@code redis-cli GET} shows readable values.
 *
 * <p>Only the declared type (and what its annotations name) is ever instantiated: default typing is
 * never enabled, which is what keeps JSON safe to read back.
 */
final class JsonCodec<T> implements Codec<T> {

  private final Class<T> type;
  private final ObjectReader reader;
  private final ObjectWriter writer;

  JsonCodec(Class<T> type, ClassLoader classLoader) {
    if (type == Object.class) {
      throw new IllegalArgumentException("The JSON codec needs a concrete type: declare the cache's"
          + " key and value types with MutableConfiguration.setTypes(...)");
    }
    ObjectMapper mapper = JsonMapper.builder()
        .typeFactory(TypeFactory.defaultInstance().withClassLoader(classLoader))
        // A newer writer may add fields; older readers keep working.
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        // Keys are compared as bytes: maps and properties must be written in one order.
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
        .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
        // ISO-8601 text, as redis-cli readers expect; numbers written before still read back.
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
        .findAndAddModules()
        .build();
    this.type = type;
    this.reader = mapper.readerFor(type);
    this.writer = mapper.writerFor(type);
  }

  @Override
  public byte[] encode(T value) {
    try {
      return writer.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new CodecException("Cannot write a " + value.getClass().getName() + " as JSON: "
          + e.getOriginalMessage(), e);
    }
  }

  @Override
  public T decode(byte[] bytes) {
    try {
      return reader.readValue(bytes);
    } catch (IOException e) {
      throw new CodecException("Cannot read the stored bytes as JSON of " + type.getName() + ": "
          + e.getMessage(), e);
    }
  }
}
