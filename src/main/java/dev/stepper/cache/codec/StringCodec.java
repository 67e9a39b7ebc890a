package dev.stepper.cache.codec;

import java.nio.charset.StandardCharsets;

/** UTF-8 text: the readable choice for string keys. */
enum StringCodec implements Codec<String> {
  INSTANCE;

  @Override
  public byte[] encode(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String decode(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
