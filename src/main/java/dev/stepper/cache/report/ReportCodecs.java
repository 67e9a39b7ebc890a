package dev.stepper.cache.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import dev.stepper.cache.codec.Codec;
import dev.stepper.cache.codec.CodecException;
import dev.stepper.cache.codec.CodecFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The report cache's codecs: keys as readable {@code <user>:<sha>} text, values as JSON with
 * ISO-8601 instants (no JSR-310 module needed).
 */
final class ReportCodecs {

  private ReportCodecs() {}

  /** Keys as {@code <user>:<sha>}. */
  enum Keys implements CodecFactory, Codec<ReportKey> {
    INSTANCE;

    @Override
    @SuppressWarnings("unchecked")
    public <T> Codec<T> create(Class<T> type, ClassLoader classLoader) {
      requireType(type, ReportKey.class, "key");
      return (Codec<T>) this;
    }

    @Override
    public byte[] encode(ReportKey key) {
      return key.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public ReportKey decode(byte[] bytes) {
      try {
        return ReportKey.parse(new String(bytes, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new CodecException(e.getMessage(), e);
      }
    }
  }

  /** Values as JSON with a {@code "state"} field. */
  enum Values implements CodecFactory {
    INSTANCE;

    @Override
    @SuppressWarnings("unchecked")
    public <T> Codec<T> create(Class<T> type, ClassLoader classLoader) {
      requireType(type, Report.class, "value");
      return (Codec<T>) new JsonReports();
    }
  }

  private static void requireType(Class<?> declared, Class<?> expected, String what) {
    if (!declared.isAssignableFrom(expected)) {
      throw new IllegalArgumentException("The report " + what + " codec handles "
          + expected.getName() + ", but the cache declares " + declared.getName());
    }
  }

  private static final class JsonReports implements Codec<Report> {

    private final ObjectMapper mapper = JsonMapper.builder()
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .addModule(new SimpleModule("iso-instants")
            .addSerializer(Instant.class, new IsoInstantWriter())
            .addDeserializer(Instant.class, new IsoInstantReader()))
        .build();

    @Override
    public byte[] encode(Report value) {
      try {
        return mapper.writerFor(Report.class).writeValueAsBytes(value);
      } catch (IOException e) {
        throw new CodecException("Cannot write report as JSON: " + e.getMessage(), e);
      }
    }

    @Override
    public Report decode(byte[] bytes) {
      try {
        return mapper.readValue(bytes, Report.class);
      } catch (IOException | IllegalArgumentException e) {
        throw new CodecException("Cannot read a report from the stored JSON: " + e.getMessage(), e);
      }
    }
  }

  private static final class IsoInstantWriter extends StdScalarSerializer<Instant> {
    private static final long serialVersionUID = 1L;

    IsoInstantWriter() {
      super(Instant.class);
    }

    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeString(value.toString());
    }
  }

  private static final class IsoInstantReader extends StdScalarDeserializer<Instant> {
    private static final long serialVersionUID = 1L;

    IsoInstantReader() {
      super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      String text = parser.getValueAsString();
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        return (Instant) context.handleWeirdStringValue(Instant.class, text,
            "expected an ISO-8601 instant such as 2026-11-23T10:15:30Z");
      }
    }
  }
}
