package dev.stepper.cache.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;

/** JDK serialization, reading back only classes on the cache's allow-list. */
final class JdkSerializationCodec<T> implements Codec<T> {

  private final Class<T> type;
  private final ClassLoader classLoader;
  private final AllowList allowList;

  JdkSerializationCodec(Class<T> type, ClassLoader classLoader, AllowList allowList) {
    this.type = type;
    this.classLoader = classLoader;
    this.allowList = allowList;
  }

  /**
   * Refuses, before anything is stored, a value whose graph holds a class that {@link #decode}
   * would refuse: bytes that cannot be read back are worse than no entry.
   */
  @Override
  public byte[] encode(T value) {
    var bytes = new ByteArrayOutputStream(64);
    String refused;
    try (var out = new CheckedObjectOutputStream(bytes, allowList)) {
      out.writeObject(value);
      refused = out.refused;
    } catch (NotSerializableException e) {
      throw new CodecException(e.getMessage() + " is not Serializable: make it implement"
          + " java.io.Serializable, or give the cache another codec (Codecs.json())", e);
    } catch (IOException e) {
      throw new CodecException("Cannot serialize a " + value.getClass().getName() + ": " + e, e);
    }
    if (refused != null) {
      throw refusal(refused, ", so the value could not be read back; nothing was stored");
    }
    return bytes.toByteArray();
  }

  @Override
  public T decode(byte[] bytes) {
    Object value;
    try (var in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes), classLoader)) {
      in.setObjectInputFilter(allowList);
      value = in.readObject();
    } catch (AllowList.RejectedClassException e) {
      throw rejected(e);
    } catch (IOException | ClassNotFoundException | RuntimeException e) {
      if (e.getCause() instanceof AllowList.RejectedClassException rejected) {
        throw rejected(rejected);
      }
      throw new CodecException("Cannot deserialize (" + e + "); the stored bytes were not written"
          + " by this codec, or a class changed incompatibly", e);
    }
    if (!type.isInstance(value)) {
      throw new CodecException("Deserialized a " + value.getClass().getName() + " where the cache"
          + " declares " + type.getName(), null);
    }
    return type.cast(value);
  }

  private CodecException rejected(AllowList.RejectedClassException e) {
    if (e.className() == null) {
      return new CodecException("The stored object graph nests deeper than "
          + AllowList.MAX_DEPTH + " levels; refused, as such graphs can take unbounded time to"
          + " read back", null);
    }
    return refusal(e.className(), "");
  }

  /** The one message of a refused class, at the write or the read, with how to allow it. */
  private CodecException refusal(String className, String consequence) {
    return new CodecException("Class " + className + " is not on the deserialization allow-list ("
        + allowList + ")" + consequence + ". Allow it with Codecs.jdk(\"" + className
        + "\") or the system property " + AllowList.SYSTEM_PROPERTY, null, className);
  }

  /**
   * Meets every class of the graph once, as its descriptor is written, superclasses included, and
   * notes the first one the allow-list refuses. Noting rather than throwing lets a graph that is
   * not serializable at all fail as such (the stream then writes the exception itself).
   */
  private static final class CheckedObjectOutputStream extends ObjectOutputStream {
    private final AllowList allowList;
    private String refused;

    CheckedObjectOutputStream(ByteArrayOutputStream out, AllowList allowList) throws IOException {
      super(out);
      this.allowList = allowList;
    }

    @Override
    protected void annotateClass(Class<?> type) {
      check(type);
    }

    @Override
    protected void annotateProxyClass(Class<?> type) {
      check(type);
    }

    private void check(Class<?> type) {
      if (refused == null && !allowList.allows(type)) {
        refused = type.getName();
      }
    }
  }

  /** Resolves classes through the cache manager's class loader. */
  private static final class LoaderObjectInputStream extends ObjectInputStream {
    private final ClassLoader classLoader;

    LoaderObjectInputStream(InputStream in, ClassLoader classLoader) throws IOException {
      super(in);
      this.classLoader = classLoader;
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc)
        throws IOException, ClassNotFoundException {
      try {
        return Class.forName(desc.getName(), false, classLoader);
      } catch (ClassNotFoundException e) {
        // primitives and classes only the JDK's loader sees
        return super.resolveClass(desc);
      }
    }
  }
}
