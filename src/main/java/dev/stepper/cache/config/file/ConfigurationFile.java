package dev.stepper.cache.config.file;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.stepper.cache.config.Durations;
import dev.stepper.cache.config.ManagerProperties;
import dev.stepper.cache.config.Redaction;
import dev.stepper.cache.config.StepperConfiguration;
import dev.stepper.cache.config.file.FileModel.CacheSection;
import dev.stepper.cache.config.file.FileModel.RedisSection;
import dev.stepper.cache.config.file.FileModel.Root;
import dev.stepper.cache.redis.RedisSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import javax.cache.CacheException;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A cache manager's configuration file: where Redis is, and the caches that exist as soon as the
 * manager opens.
 *
 * <pre>{@code
 * redis:
 *   uri: ${REDIS_URL:redis://localhost:6379}
 *   prefix: stepper
 * default:                      # every cache starts from this, and so do caches that
 *   expiry: {created: 1h}       # frameworks create with new MutableConfiguration<>()
 * caches:
 *   report:
 *     loader: {report: {providers: [com.acme.Gemini, com.acme.Local], timeout: 30s}}
 *     expiry: {stale-while-revalidate: {fresh: 10m, stale: 1d}}
 * }</pre>
 *
 * <p>The README's configuration reference lists every key. Values may use {@code ${NAME}} or
 * {@code ${NAME:default}}: the system property, else the environment variable, else the default.
 * Classes are resolved through the cache manager's class loader. Unknown or duplicate keys are
 * errors; every error names the file, the key and what was expected.
 */
public final class ConfigurationFile {

  /** The file the provider looks for on the class path when no cache manager URI is given. */
  public static final String DEFAULT_NAME = "stepper-cache.yaml";

  private static final String DEFAULT_REDIS = "redis://localhost:6379";
  private static final String CREATE_ON_FIRST_USE = "create-on-first-use";
  /** A report cache's types and codecs are its own, not the {@code default} section's. */
  private static final List<String> REPORT_OWNED = List.of("key-type", "value-type", "key-codec",
      "value-codec", "allow", "loader", "read-through", "writer", "write-through");
  private static final ObjectMapper YAML = YAMLMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      // 2.5 threads or statistics: 2 are mistakes, not values to round
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
      .build();

  private final URI location;
  private final RedisSettings redis;
  private final Map<String, StepperConfiguration<Object, Object>> caches;
  private final StepperConfiguration<Object, Object> defaults;
  private final boolean createOnFirstUse;

  private ConfigurationFile(URI location, RedisSettings redis,
      Map<String, StepperConfiguration<Object, Object>> caches,
      StepperConfiguration<Object, Object> defaults, boolean createOnFirstUse) {
    this.location = location;
    this.redis = redis;
    this.caches = caches;
    this.defaults = defaults;
    this.createOnFirstUse = createOnFirstUse;
  }

  /**
   * @param uri a cache manager URI
   * @return whether it names a configuration file: a {@code classpath:}, {@code file:} or
   *     {@code jar:} URI (Spring Boot's {@code jar:nested:} included)
   */
  public static boolean isFile(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    return scheme.equals("classpath") || scheme.equals("file") || scheme.equals("jar");
  }

  /**
   * Reads and checks a configuration file, resolving the classes it names.
   *
   * @param location {@code classpath:stepper-cache.yaml} (also {@code classpath:/…} and
   *     {@code classpath://…}), {@code file:…} or {@code jar:…}
   * @param classLoader the cache manager's class loader, for the file and the classes
   * @return the file's contents
   * @throws CacheException if the file cannot be read or is not valid, with a message naming the
   *     file, the key and what was expected
   */
  public static ConfigurationFile read(URI location, ClassLoader classLoader) {
    return read(location, classLoader, new Properties());
  }

  /**
   * Reads and checks a configuration file whose placeholders may also come from the properties
   * the cache manager was opened with: their text values, then the
   * {@link ManagerProperties#PLACEHOLDER_SOURCE},
   * then system properties and the environment.
   *
   * @param location as for {@link #read(URI, ClassLoader)}
   * @param classLoader the cache manager's class loader, for the file and the classes
   * @param properties the properties given to {@code getCacheManager}
   * @return the file's contents
   * @throws CacheException if the file cannot be read or is not valid, with a message naming the
   *     file, the key and what was expected
   */
  public static ConfigurationFile read(URI location, ClassLoader classLoader,
      Properties properties) {
    var problems = new Problems(Redaction.redact(location));
    JsonNode tree;
    try (InputStream in = open(location, classLoader, problems)) {
      tree = YAML.readTree(in);
    } catch (JsonProcessingException e) {
      throw problems.file("not valid YAML: " + syntaxProblem(e), null);
    } catch (IOException e) {
      throw problems.file("cannot be read: " + e, null);
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      throw problems.file("is empty: expected at least 'redis:' or 'caches:'", null);
    }
    if (!(tree instanceof ObjectNode root)) {
      throw problems.file("expected keys such as 'redis:' and 'caches:' at the top", null);
    }
    UnaryOperator<String> lookup = lookup(properties);
    Placeholders.resolve(root, "", problems, lookup);
    var declaration = new CacheDeclaration(problems, classLoader);
    // the default section first, on its own, so that its mistakes are reported under 'default'
    JsonNode defaultNode = root.get("default");
    CacheSection defaultSection = defaultNode == null || defaultNode.isNull() ? emptySection()
        : bind(defaultNode, CacheSection.class, "default", problems);
    StepperConfiguration<Object, Object> defaults = declaration.build("default", defaultSection);
    boolean createOnFirstUse = Boolean.TRUE.equals(defaultSection.createOnFirstUse());
    inheritDefaults(root, problems);
    Root model = bind(root, Root.class, "", problems);

    var declared = new LinkedHashMap<String, StepperConfiguration<Object, Object>>();
    if (model.caches() != null) {
      model.caches().forEach((name, section) -> declared.put(name,
          declaration.build("caches." + name, section == null ? defaultSection : section)));
    }
    return new ConfigurationFile(location, redisSettings(model.redis(), problems, lookup),
        Collections.unmodifiableMap(declared), defaults, createOnFirstUse);
  }

  /** Text properties first, then the source a framework passed, then the JVM's own. */
  private static UnaryOperator<String> lookup(Properties properties) {
    Object source = properties.get(ManagerProperties.PLACEHOLDER_SOURCE);
    @SuppressWarnings("unchecked")
    Function<Object, Object> framework = source instanceof Function<?, ?> f
        ? (Function<Object, Object>) f : name -> null;
    return name -> {
      String value = properties.getProperty(name);
      if (value == null && framework.apply(name) instanceof String given) {
        value = given;
      }
      if (value == null) {
        value = System.getProperty(name);
      }
      return value != null ? value : System.getenv(name);
    };
  }

  /** SnakeYAML's own message quotes the offending line, which may hold a password. */
  private static String syntaxProblem(JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException yaml) {
      Mark mark = yaml.getProblemMark();
      return (yaml.getContext() == null ? "" : yaml.getContext() + ": ") + yaml.getProblem()
          + (mark == null ? "" : " (line " + (mark.getLine() + 1) + ", column "
          + (mark.getColumn() + 1) + ")");
    }
    return e.getOriginalMessage() + (e.getLocation() == null ? "" : " (line "
        + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
  }

  /** @return the Redis deployment, key prefix and timeout the file names */
  public RedisSettings redisSettings() {
    return redis;
  }

  /** @return the caches the file declares, in the file's order */
  public Set<String> cacheNames() {
    return caches.keySet();
  }

  /**
   * @param name a declared cache
   * @return a new copy of its configuration
   * @throws IllegalArgumentException if the file does not declare it
   */
  public StepperConfiguration<Object, Object> cache(String name) {
    StepperConfiguration<Object, Object> config = caches.get(name);
    if (config == null) {
      throw new IllegalArgumentException(Redaction.redact(location) + " declares no cache '"
          + name + "'");
    }
    return new StepperConfiguration<>(config);
  }

  /**
   * @return whether {@code default: {create-on-first-use: true}} asks that a cache nobody
   *     declared be created with the defaults when it is first asked for by name (as Spring's
   *     cache abstraction asks), rather than not found as JCache has it
   */
  public boolean createsOnFirstUse() {
    return createOnFirstUse;
  }

  /** @return a new copy of the {@code default} section's configuration */
  public StepperConfiguration<Object, Object> defaults() {
    return new StepperConfiguration<>(defaults);
  }

  private static InputStream open(URI location, ClassLoader classLoader, Problems problems)
      throws IOException {
    if ("classpath".equalsIgnoreCase(location.getScheme())) {
      String path = location.getSchemeSpecificPart().replaceFirst("^/+", "");
      URL resource = classLoader.getResource(path);
      if (resource == null) {
        throw problems.file("'" + path + "' is not on the class path of " + classLoader
            + "; put it in src/main/resources, or name a file with file:/path/to/it", null);
      }
      return resource.openStream();
    }
    try {
      return location.toURL().openStream();
    } catch (IllegalArgumentException | java.net.MalformedURLException e) {
      throw problems.file("is not a location to read from: use classpath:…, file:… or jar:…,"
          + " or a redis:// URI for a manager without a file", null);
    }
  }

  /** Each cache starts from the {@code default} section; its own keys replace whole entries. */
  private static void inheritDefaults(ObjectNode root, Problems problems) {
    JsonNode defaults = root.get("default");
    JsonNode caches = root.get("caches");
    if (caches == null || caches.isNull()) {
      return;
    }
    if (!caches.isObject()) {
      throw problems.at("caches", "expected one section per cache name");
    }
    var names = new ArrayList<String>();
    caches.fieldNames().forEachRemaining(names::add);
    for (String name : names) {
      JsonNode own = caches.get(name);
      if (own != null && !own.isNull() && !own.isObject()) {
        throw problems.at("caches." + name, "expected the cache's settings (key: value lines);"
            + " write '" + name + ": {}' for a cache with the defaults");
      }
      ObjectNode merged = defaults instanceof ObjectNode d ? d.deepCopy() : YAML.createObjectNode();
      merged.remove(CREATE_ON_FIRST_USE);
      if (own instanceof ObjectNode ownObject) {
        if (ownObject.has(CREATE_ON_FIRST_USE)) {
          throw problems.at("caches." + name + "." + CREATE_ON_FIRST_USE, "belongs in the"
              + " default section: it says whether caches nobody declared are made with the"
              + " defaults when first asked for; this cache is declared");
        }
        if (ownObject.path("loader").has("report")) {
          merged.remove(REPORT_OWNED);
        }
        merged.setAll(ownObject);
      }
      ((ObjectNode) caches).set(name, merged);
    }
  }

  private static <T> T bind(JsonNode node, Class<T> type, String at, Problems problems) {
    try {
      return YAML.treeToValue(node, type);
    } catch (UnrecognizedPropertyException e) {
      throw problems.at(path(at, e), "unknown key '" + e.getPropertyName() + "'; expected one of "
          + known(e.getKnownPropertyIds()));
    } catch (MismatchedInputException e) {
      throw problems.at(path(at, e), "expected " + expectation(e.getTargetType()));
    } catch (JsonProcessingException e) {
      throw problems.at(e instanceof JsonMappingException m ? path(at, m) : at,
          e.getOriginalMessage());
    }
  }

  private static String path(String at, JsonMappingException e) {
    var path = new StringBuilder(at);
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String known(Collection<Object> ids) {
    return ids == null ? "(none)" : ids.stream().map(String::valueOf).sorted()
        .collect(Collectors.joining(", "));
  }

  private static String expectation(Class<?> target) {
    if (target == null) {
      return "another kind of value";
    }
    if (target == Boolean.class || target == boolean.class) {
      return "true or false";
    }
    if (target == Integer.class || target == int.class) {
      return "a whole number";
    }
    if (target == Double.class || target == double.class) {
      return "a number";
    }
    if (target == String.class) {
      return "a single value (a text, name or duration), not a list or section";
    }
    if (List.class.isAssignableFrom(target)) {
      return "a list, such as [a, b]";
    }
    return "a section of key: value lines";
  }

  private static RedisSettings redisSettings(RedisSection redis, Problems problems,
      UnaryOperator<String> lookup) {
    try {
      return RedisSettings.parse(redisUri(redis, problems, lookup));
    } catch (IllegalArgumentException e) {
      throw problems.at("redis", e.getMessage());
    }
  }

  private static URI redisUri(RedisSection redis, Problems problems,
      UnaryOperator<String> lookup) {
    String uri = redis == null || redis.uri() == null ? null : redis.uri().trim();
    if (uri == null || uri.isEmpty()) {
      String env = lookup.apply("REDIS_URL");
      uri = env == null || env.isBlank() ? DEFAULT_REDIS : env.trim();
    }
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (java.net.URISyntaxException e) {
      // the text may hold a password, so it is not repeated
      throw problems.at("redis.uri", "is not a valid URI (" + e.getReason() + " at index "
          + e.getIndex() + "): expected redis://[user:password@]host:port[/db],"
          + " redis://host1:port1,host2:port2 (a cluster), redis-sentinel://host1:port1,…"
          + "?sentinelMasterId=name, or rediss… for TLS");
    }
    String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
    if (!List.of("redis", "rediss", "redis-sentinel", "rediss-sentinel").contains(scheme)) {
      throw problems.at("redis.uri", "expected a redis://, rediss://, redis-sentinel:// or"
          + " rediss-sentinel:// URI");
    }
    if (parsed.getRawFragment() != null) {
      throw problems.at("redis.uri", "has a '#' part, which a Redis URI cannot have here: a '#'"
          + " in a password must be written %23, and a Sentinel master is named by"
          + " ?sentinelMasterId=name");
    }
    String query = parsed.getRawQuery() == null ? "" : "&" + parsed.getRawQuery();
    // each key of the section becomes the URI parameter RedisSettings reads
    Map<String, String> params = new LinkedHashMap<>();
    if (redis != null && redis.prefix() != null) {
      params.put("prefix", URLEncoder.encode(redis.prefix().trim(), StandardCharsets.UTF_8));
    }
    if (redis != null && redis.timeout() != null) {
      Duration timeout = Durations.parse(redis.timeout());
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw problems.at("redis.timeout", "expected " + Durations.EXPECTED + ", longer than"
            + " zero; got '" + redis.timeout() + "'");
      }
      params.put("timeout", timeout.toMillis() + "ms");
    }
    if (redis != null && redis.waitForReplicas() != null) {
      if (redis.waitForReplicas() < 0) {
        throw problems.at("redis.wait-for-replicas", "expected how many replicas must have each"
            + " write before it returns, 0 or more; got " + redis.waitForReplicas());
      }
      params.put(RedisSettings.WAIT_FOR_REPLICAS, redis.waitForReplicas().toString());
    }
    for (String param : params.keySet()) {
      if (query.contains("&" + param + "=")) {
        String key = param.equals(RedisSettings.WAIT_FOR_REPLICAS) ? "wait-for-replicas" : param;
        throw problems.at("redis." + key, "is given twice, here and as ?" + param + "= in"
            + " redis.uri: keep one");
      }
    }
    if (params.isEmpty()) {
      return parsed;
    }
    return URI.create(uri + (parsed.getRawQuery() == null ? "?" : "&") + String.join("&",
        params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
  }

  private static CacheSection emptySection() {
    return new CacheSection(null, null, null, null, null, null, null, null, null, null, null,
        null, null, null);
  }
}
