package dev.stepper.cache.codec;

import java.io.ObjectInputFilter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The classes JDK deserialization may instantiate, as patterns.
 *
 * <p>A pattern is a class name ({@code com.acme.Report}), a package ({@code com.acme.*}), a package
 * with its subpackages ({@code com.acme.**}) or a name prefix ({@code com.acme.Report*}). Arrays are
 * judged by their element type; primitives are always allowed.
 */
final class AllowList implements ObjectInputFilter {

  /** Extra patterns for every cache in the JVM, separated by ',' or ';'. */
  static final String SYSTEM_PROPERTY = "stepper.cache.serialization.allow";

  /** Value types of the JDK that carry no behaviour an attacker could chain. */
  static final List<String> JDK_DEFAULTS = List.of(
      "java.lang.*", "java.util.*", "java.util.concurrent.*", "java.util.concurrent.atomic.*",
      "java.time.*", "java.math.*", "java.net.URI",
      // an interface: it only lets arrays such as Hibernate's Serializable[] state through
      "java.io.Serializable",
      // Spring's key of a method with several arguments: an array of them, itself checked here
      "org.springframework.cache.interceptor.SimpleKey");

  /** Deeper object graphs are refused: cache values are not that deep, attacks often are. */
  static final int MAX_DEPTH = 100;

  private final Set<String> patterns;

  private AllowList(Set<String> patterns) {
    this.patterns = patterns;
  }

  /**
   * The allow-list of one cache: the JDK defaults, the cache's declared type and the types nested
   * in it (a record's own records), the JVM-wide system property and the patterns the cache was
   * configured with.
   */
  static AllowList of(Class<?> declaredType, Collection<String> configured) {
    var all = new LinkedHashSet<>(JDK_DEFAULTS);
    if (declaredType != Object.class) {
      all.add(declaredType.getName());
      all.add(declaredType.getName() + "$*");
    }
    all.addAll(split(System.getProperty(SYSTEM_PROPERTY, "")));
    for (String pattern : configured) {
      all.add(validate(pattern));
    }
    return new AllowList(all);
  }

  static String validate(String pattern) {
    if (pattern == null || pattern.isBlank() || pattern.contains("/") || pattern.indexOf('*') >= 0
        && !pattern.endsWith("*") || pattern.trim().matches("[*.]+")) {
      throw new IllegalArgumentException("'" + pattern + "' is not an allow-list pattern: use a class"
          + " name, 'com.acme.*' (a package), 'com.acme.**' (with subpackages) or 'com.acme.Name*';"
          + " allowing every class would let stored bytes run any gadget on the class path");
    }
    return pattern.trim();
  }

  private static List<String> split(String value) {
    var result = new ArrayList<String>();
    for (String part : value.split("[,;]")) {
      if (!part.isBlank()) {
        result.add(validate(part.trim()));
      }
    }
    return result;
  }

  boolean allows(Class<?> type) {
    Class<?> element = type;
    while (element.isArray()) {
      element = element.getComponentType();
    }
    if (element.isPrimitive()) {
      return true;
    }
    String name = element.getName();
    for (String pattern : patterns) {
      if (matches(pattern, name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(String pattern, String name) {
    if (pattern.endsWith(".**")) {
      return name.startsWith(pattern.substring(0, pattern.length() - 2));
    }
    if (pattern.endsWith(".*")) {
      String pkg = pattern.substring(0, pattern.length() - 1);
      return name.startsWith(pkg) && name.indexOf('.', pkg.length()) < 0;
    }
    if (pattern.endsWith("*")) {
      return name.startsWith(pattern.substring(0, pattern.length() - 1));
    }
    return name.equals(pattern);
  }

  @Override
  public Status checkInput(FilterInfo info) {
    if (info.depth() > MAX_DEPTH) {
      // Nested collections of allowed types can still cost exponential time to read back.
      throw new RejectedClassException(null);
    }
    Class<?> type = info.serialClass();
    if (type == null) {
      return Status.UNDECIDED;
    }
    if (allows(type)) {
      return Status.ALLOWED;
    }
    // Thrown rather than returning REJECTED so that the decoder can say which class it was.
    throw new RejectedClassException(type.getName());
  }

  @Override
  public String toString() {
    return String.join(";", patterns);
  }

  /** Carries the refused class name out of the deserialization machinery. */
  static final class RejectedClassException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String className;

    /** @param className the refused class, or {@code null} if the graph was too deep */
    RejectedClassException(String className) {
      super(className, null, false, false);
      this.className = className;
    }

    String className() {
      return className;
    }
  }
}
