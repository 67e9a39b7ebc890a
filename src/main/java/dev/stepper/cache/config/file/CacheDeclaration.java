package dev.stepper.cache.config.file;

import dev.stepper.cache.codec.CodecFactory;
import dev.stepper.cache.codec.Codecs;
import dev.stepper.cache.config.Durations;
import dev.stepper.cache.config.NearCache;
import dev.stepper.cache.config.StepperConfiguration;
import dev.stepper.cache.config.file.FileModel.BackoffSection;
import dev.stepper.cache.config.file.FileModel.CacheSection;
import dev.stepper.cache.config.file.FileModel.ExpirySection;
import dev.stepper.cache.config.file.FileModel.NearCacheSection;
import dev.stepper.cache.config.file.FileModel.ProviderEntry;
import dev.stepper.cache.config.file.FileModel.ReportSection;
import dev.stepper.cache.config.file.FileModel.RevalidationSection;
import dev.stepper.cache.report.ProviderChain;
import dev.stepper.cache.report.Report;
import dev.stepper.cache.report.ReportCache;
import dev.stepper.cache.report.ReportKey;
import dev.stepper.cache.report.ReportProvider;
import dev.stepper.cache.swr.Backoff;
import dev.stepper.cache.swr.Budget;
import dev.stepper.cache.swr.StaleWhileRevalidate;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.cache.CacheException;
import javax.cache.configuration.Factory;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.expiry.TouchedExpiryPolicy;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheWriter;

/** Turns one cache's section of the file into a configuration, resolving classes as it goes. */
final class CacheDeclaration {

  private final Problems problems;
  private final ClassLoader classLoader;

  CacheDeclaration(Problems problems, ClassLoader classLoader) {
    this.problems = problems;
    this.classLoader = classLoader;
  }

  StepperConfiguration<Object, Object> build(String path, CacheSection section) {
    boolean reports = section.loader() != null && section.loader().report() != null;
    StepperConfiguration<Object, Object> config = reports
        ? reportCache(path, section)
        : plainCache(path, section);
    if (!reports && (section.keyCodec() != null || section.valueCodec() != null
        || section.allow() != null)) {
      String[] allow = section.allow() == null ? new String[0]
          : section.allow().toArray(String[]::new);
      CodecFactory jdk = settle(path + ".allow", () -> Codecs.jdk(allow));
      config.setKeyCodec(codec(path + ".key-codec", section.keyCodec(), "key-type",
          config.getKeyType(), Codecs.defaultForKeys(config.getKeyType(), jdk), jdk));
      config.setValueCodec(codec(path + ".value-codec", section.valueCodec(), "value-type",
          config.getValueType(), jdk, jdk));
    }
    if (section.writer() != null) {
      config.setCacheWriterFactory(raw(instances(path + ".writer.class", section.writer().type(),
          CacheWriter.class)));
    }
    if (section.readThrough() != null) {
      config.setReadThrough(section.readThrough());
    }
    if (section.writeThrough() != null) {
      config.setWriteThrough(section.writeThrough());
    }
    if (config.isReadThrough() && config.getCacheLoaderFactory() == null) {
      throw problems.at(path + ".read-through", "read-through needs a loader: add"
          + " 'loader: {class: <your CacheLoader>}' or set read-through to false");
    }
    if (!reports && section.expiry() != null && section.expiry().staleWhileRevalidate() != null
        && !config.isReadThrough()) {
      throw problems.at(path + ".expiry.stale-while-revalidate", "stale-while-revalidate"
          + " refreshes entries through the cache's loader, and this cache reads through none:"
          + " add 'loader: {class: <your CacheLoader>}' and 'read-through: true' (or a report"
          + " loader), or choose another expiry (created, modified, …); without a loader it"
          + " would only keep entries for fresh + stale");
    }
    if (config.isWriteThrough() && config.getCacheWriterFactory() == null) {
      throw problems.at(path + ".write-through", "write-through needs a writer: add"
          + " 'writer: {class: <your CacheWriter>}' or set write-through to false");
    }
    if (section.nearCache() != null) {
      config.setNearCache(nearCache(path + ".near-cache", section.nearCache()));
    }
    config.setStatisticsEnabled(Boolean.TRUE.equals(section.statistics()));
    config.setManagementEnabled(Boolean.TRUE.equals(section.management()));
    return config;
  }

  private StepperConfiguration<Object, Object> plainCache(String path, CacheSection section) {
    var config = new StepperConfiguration<Object, Object>();
    config.setTypes(type(path + ".key-type", section.keyType()),
        type(path + ".value-type", section.valueType()));
    if (section.expiry() != null) {
      config.setExpiryPolicyFactory(expiry(path + ".expiry", section.expiry()));
    }
    if (section.loader() != null) {
      if (section.loader().type() == null) {
        throw problems.at(path + ".loader", "expected 'class: <your CacheLoader>' or 'report:"
            + " {providers: [...], timeout: 30s}'");
      }
      config.setCacheLoaderFactory(raw(instances(path + ".loader.class", section.loader().type(),
          CacheLoader.class)));
    }
    return config;
  }

  /** A cache of commit-diary reports: readable keys, JSON values and a provider chain. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private StepperConfiguration<Object, Object> reportCache(String path, CacheSection section) {
    expectType(path + ".key-type", section.keyType(), ReportKey.class);
    expectType(path + ".value-type", section.valueType(), Report.class);
    if (section.loader().type() != null) {
      throw problems.at(path + ".loader", "give either 'class' or 'report', not both");
    }
    refuseCodec(path + ".key-codec", section.keyCodec());
    refuseCodec(path + ".value-codec", section.valueCodec());
    refuseCodec(path + ".allow", section.allow());
    if (Boolean.FALSE.equals(section.readThrough())) {
      throw problems.at(path + ".read-through", "a cache with a report loader reads through it"
          + " (that is how misses start a generation): leave this out");
    }
    ExpirySection expiry = section.expiry();
    if (expiry == null || expiry.staleWhileRevalidate() == null) {
      throw problems.at(path + ".expiry", "a report loader needs 'stale-while-revalidate: {fresh:"
          + " …, stale: …}', so that reports are generated in the background");
    }
    exactlyOne(path + ".expiry", expiry);
    StaleWhileRevalidate policy = revalidation(path + ".expiry.stale-while-revalidate",
        expiry.staleWhileRevalidate());
    String at = path + ".loader.report";
    ReportSection report = section.loader().report();
    if (report.providers() == null || report.providers().isEmpty()) {
      throw problems.at(at + ".providers", "expected a list of ReportProvider classes, first"
          + " choice first, such as [com.acme.GeminiProvider, com.acme.LocalSummariser]");
    }
    var providers = new ArrayList<ReportProvider>();
    var budgets = new ArrayList<Budget>();
    for (int i = 0; i < report.providers().size(); i++) {
      String entry = at + ".providers[" + i + "]";
      ProviderEntry provider = report.providers().get(i);
      if (provider == null || provider.type() == null) {
        throw problems.at(entry, "expected a ReportProvider class, or {class: <it>,"
            + " max-concurrent: <calls at once>, rate: <calls per minute>}");
      }
      ReportProvider made = newInstance(entry + (provider.budgeted() ? ".class" : ""),
          provider.type(), ReportProvider.class);
      providers.add(made);
      if (provider.budgeted()) {
        budgets.add(budget(entry, made.name(), provider));
      }
    }
    Duration timeout = positive(at + ".timeout", required(at + ".timeout", report.timeout(),
        "how long each provider may take"));
    ProviderChain chain = ProviderChain.of(timeout, providers.toArray(ReportProvider[]::new));
    for (Budget budget : budgets) {
      chain = chain.withBudget(budget);
    }
    StepperConfiguration config = ReportCache.configuration(policy, chain);
    return config;
  }

  private NearCache nearCache(String path, NearCacheSection section) {
    if (section.maxEntries() == null || section.maxEntries() < 1) {
      throw problems.at(path + ".max-entries", "expected how many entries this JVM keeps, at"
          + " least 1" + (section.maxEntries() == null ? "" : "; got " + section.maxEntries()));
    }
    Duration maxTtl = positive(path + ".max-ttl", required(path + ".max-ttl", section.maxTtl(),
        "how long a copy is served at most, such as 1m"));
    return new NearCache(section.maxEntries(), maxTtl);
  }

  private Budget budget(String path, String name, ProviderEntry provider) {
    int maxConcurrent = atLeastOne(path + ".max-concurrent", provider.maxConcurrent(),
        "calls in flight at once over all JVMs");
    int rate = atLeastOne(path + ".rate", provider.rate(), "calls started per rate-window (a"
        + " minute unless given) over all JVMs");
    if (provider.rateWindow() == null) {
      return new Budget(name, maxConcurrent, rate);
    }
    if (provider.rate() == null) {
      throw problems.at(path + ".rate-window", "a window bounds nothing without a rate: add"
          + " rate, the most calls started in any window");
    }
    return new Budget(name, maxConcurrent, rate,
        positive(path + ".rate-window", provider.rateWindow()));
  }

  /** @return the bound, or 0 (no bound) if it is not given */
  private int atLeastOne(String path, Integer given, String what) {
    if (given != null && given < 1) {
      throw problems.at(path, "expected the most " + what + ", at least 1 (leave it out for no"
          + " bound), was " + given);
    }
    return given == null ? 0 : given;
  }

  private void refuseCodec(String path, Object given) {
    if (given != null) {
      throw problems.at(path, "a cache with a report loader stores readable keys and JSON"
          + " reports with codecs of its own: leave this out");
    }
  }

  private Factory<ExpiryPolicy> expiry(String path, ExpirySection expiry) {
    exactlyOne(path, expiry);
    if (expiry.eternal() != null) {
      if (!expiry.eternal()) {
        throw problems.at(path + ".eternal", "expected true; for entries that expire, write"
            + " 'created: 1h' (or accessed, modified, touched)");
      }
      return EternalExpiryPolicy.factoryOf();
    }
    if (expiry.created() != null) {
      return CreatedExpiryPolicy.factoryOf(jcache(path + ".created", expiry.created()));
    }
    if (expiry.accessed() != null) {
      return AccessedExpiryPolicy.factoryOf(jcache(path + ".accessed", expiry.accessed()));
    }
    if (expiry.modified() != null) {
      return ModifiedExpiryPolicy.factoryOf(jcache(path + ".modified", expiry.modified()));
    }
    if (expiry.touched() != null) {
      return TouchedExpiryPolicy.factoryOf(jcache(path + ".touched", expiry.touched()));
    }
    if (expiry.staleWhileRevalidate() != null) {
      return revalidation(path + ".stale-while-revalidate", expiry.staleWhileRevalidate())
          .factory();
    }
    return instances(path + ".factory", expiry.factory(), ExpiryPolicy.class);
  }

  private void exactlyOne(String path, ExpirySection expiry) {
    var given = new ArrayList<String>();
    addIf(given, expiry.eternal(), "eternal");
    addIf(given, expiry.created(), "created");
    addIf(given, expiry.accessed(), "accessed");
    addIf(given, expiry.modified(), "modified");
    addIf(given, expiry.touched(), "touched");
    addIf(given, expiry.staleWhileRevalidate(), "stale-while-revalidate");
    addIf(given, expiry.factory(), "factory");
    if (given.size() != 1) {
      throw problems.at(path, (given.isEmpty() ? "nothing given" : "both " + given)
          + ": expected exactly one of eternal: true, created, accessed, modified, touched"
          + " (a duration), stale-while-revalidate: {fresh, stale, …} or factory: <class>");
    }
  }

  private static void addIf(List<String> given, Object value, String name) {
    if (value != null) {
      given.add(name);
    }
  }

  private StaleWhileRevalidate revalidation(String path, RevalidationSection section) {
    return settle(path, () -> {
      StaleWhileRevalidate policy = StaleWhileRevalidate.fresh(positive(path + ".fresh",
          required(path + ".fresh", section.fresh(), "how long a value is served as fresh")));
      if (section.stale() != null) {
        policy = policy.stale(duration(path + ".stale", section.stale()));
      }
      if (section.lease() != null) {
        policy = policy.lease(positive(path + ".lease", section.lease()));
      }
      if (section.jobThreads() != null) {
        policy = policy.jobThreads(section.jobThreads());
      }
      if (section.jobQueue() != null) {
        policy = policy.jobQueue(section.jobQueue());
      }
      if (section.backoff() != null) {
        policy = policy.backoff(backoff(path + ".backoff", section.backoff()));
      }
      return policy;
    });
  }

  private Backoff backoff(String path, BackoffSection section) {
    Backoff defaults = Backoff.DEFAULT;
    Duration initial = section.initial() == null ? defaults.initial()
        : positive(path + ".initial", section.initial());
    Duration max = section.max() == null ? defaults.max() : positive(path + ".max", section.max());
    double multiplier = section.multiplier() == null ? defaults.multiplier() : section.multiplier();
    double jitter = section.jitter() == null ? defaults.jitter() : section.jitter();
    return Backoff.exponential(initial, multiplier, max).withJitter(jitter);
  }

  /** Runs a builder whose own checks throw IllegalArgumentException, and names the key. */
  private <T> T settle(String path, Supplier<T> builder) {
    try {
      return builder.get();
    } catch (IllegalArgumentException e) {
      throw problems.at(path, e.getMessage(), e);
    }
  }

  /**
   * @param typeKey the key that declares the type the codec must fit, for messages
   * @param otherwise the codec when none is named
   * @param jdk JDK serialization with the cache's allow-list
   */
  private CodecFactory codec(String path, String name, String typeKey, Class<?> type,
      CodecFactory otherwise, CodecFactory jdk) {
    if (name == null) {
      return otherwise;
    }
    return switch (name.trim()) {
      case "jdk" -> jdk;
      case "json" -> {
        if (type == Object.class) {
          throw problems.at(path, "json needs the class to read back: set " + typeKey);
        }
        yield Codecs.json();
      }
      case "string" -> {
        if (type != String.class) {
          throw problems.at(path, "string holds text only: set " + typeKey + " to String");
        }
        yield Codecs.string();
      }
      default -> {
        if (name.indexOf('.') < 0) {
          throw problems.at(path, "unknown codec '" + name + "': expected jdk, json, string or"
              + " the class name of a dev.stepper.cache.codec.CodecFactory");
        }
        yield newInstance(path, name, CodecFactory.class);
      }
    };
  }

  private <T> Factory<T> instances(String path, String className, Class<T> role) {
    Class<?> type = load(path, className);
    if (!role.isAssignableFrom(type) && !Factory.class.isAssignableFrom(type)) {
      throw problems.at(path, type.getName() + " is neither a " + role.getName() + " nor a"
          + " javax.cache.configuration.Factory of one");
    }
    needsPublicConstructor(path, type);
    return new NewInstanceFactory<>(type, role);
  }

  /** Loaders and writers named in a file are raw types; the cache's types are checked on use. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <T> Factory<T> raw(Factory factory) {
    return factory;
  }

  /** One instance of a class the file names for a role, made now so that errors name the key. */
  private <T> T newInstance(String path, String className, Class<T> role) {
    Class<?> type = load(path, className);
    if (!role.isAssignableFrom(type)) {
      throw problems.at(path, type.getName() + " does not implement " + role.getName());
    }
    needsPublicConstructor(path, type);
    try {
      return role.cast(NewInstanceFactory.construct(type));
    } catch (CacheException e) {
      throw problems.at(path, e.getMessage(), e.getCause());
    }
  }

  private void needsPublicConstructor(String path, Class<?> type) {
    try {
      if (Modifier.isAbstract(type.getModifiers())) {
        throw new NoSuchMethodException("abstract");
      }
      type.getConstructor();
    } catch (NoSuchMethodException e) {
      throw problems.at(path, type.getName() + " needs to be a concrete class with a public"
          + " constructor without parameters");
    }
  }

  private Class<Object> type(String path, String className) {
    @SuppressWarnings("unchecked")
    Class<Object> type = className == null ? Object.class : (Class<Object>) load(path, className);
    return type;
  }

  private void expectType(String path, String className, Class<?> expected) {
    if (className != null && load(path, className) != expected) {
      throw problems.at(path, "a cache with a report loader holds " + expected.getName()
          + "; leave this out or write " + expected.getName());
    }
  }

  /** Through the cache manager's class loader, so that restarted applications see their own. */
  private Class<?> load(String path, String className) {
    String name = required(path, className, "a class name").trim();
    try {
      return Class.forName(name.indexOf('.') < 0 ? "java.lang." + name : name, false, classLoader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw problems.at(path, "class '" + name + "' was not found by the cache manager's class"
          + " loader; check the name (package included) and that its jar is on the class path", e);
    }
  }

  private String required(String path, String value, String what) {
    if (value == null || value.isBlank()) {
      throw problems.at(path, "missing: expected " + what);
    }
    return value;
  }

  private Duration positive(String path, String text) {
    Duration duration = duration(path, text);
    if (duration.isZero()) {
      throw problems.at(path, "expected a duration longer than zero; got '" + text + "'");
    }
    return duration;
  }

  private Duration duration(String path, String text) {
    Duration duration = Durations.parse(text);
    if (duration == null || duration.isNegative()) {
      throw problems.at(path, "expected " + Durations.EXPECTED + "; got '" + text + "'");
    }
    return duration;
  }

  private javax.cache.expiry.Duration jcache(String path, String text) {
    return new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS,
        positive(path, text).toMillis());
  }
}
