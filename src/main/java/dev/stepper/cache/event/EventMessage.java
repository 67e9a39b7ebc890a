package dev.stepper.cache.event;

import dev.stepper.cache.redis.KeyLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The wire format of events: a change of one entry as the provider's {@code write.lua} publishes it
 * on the cache's channel.
 *
 * @param type {@code c} created, {@code u} updated, {@code r} removed, {@code x} expired
 * @param origin the id of the manager that made the change
 * @param key the encoded key
 * @param value the new bytes, or {@code null}
 * @param oldValue the bytes before, or {@code null}
 */
record EventMessage(char type, String origin, byte[] key, byte[] value, byte[] oldValue) {

  /**
   * Reads a message.
   *
   * @param message the bytes published by {@code write.lua}
   * @param layout the layout of the cache whose channel carried it
   * @return the change
   * @throws IllegalArgumentException if the message is malformed or not of that cache
   */
  static EventMessage parse(byte[] message, KeyLayout layout) {
    var reader = new Reader(message);
    char type = (char) message[0];
    reader.position = 1;
    String origin = new String(reader.netstring(), StandardCharsets.UTF_8);
    byte[] key = layout.encodedKey(reader.netstring());
    byte[] value = reader.optional();
    byte[] oldValue = reader.optional();
    if ("curx".indexOf(type) < 0) {
      throw new IllegalArgumentException("Unknown event type " + type);
    }
    return new EventMessage(type, origin, key, value, oldValue);
  }

  private static final class Reader {
    private final byte[] bytes;
    private int position;

    Reader(byte[] bytes) {
      this.bytes = bytes;
    }

    byte[] netstring() {
      int colon = position;
      while (bytes[colon] != ':') {
        colon++;
      }
      int length = Integer.parseInt(new String(bytes, position, colon - position,
          StandardCharsets.US_ASCII));
      int start = colon + 1;
      if (bytes[start + length] != ',') {
        throw new IllegalArgumentException("Malformed event message");
      }
      position = start + length + 1;
      return Arrays.copyOfRange(bytes, start, start + length);
    }

    byte[] optional() {
      byte marker = bytes[position++];
      return marker == 'v' ? netstring() : null;
    }
  }
}
