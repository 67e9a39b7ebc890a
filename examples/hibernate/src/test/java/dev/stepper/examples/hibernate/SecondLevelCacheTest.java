package dev.stepper.examples.hibernate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.testing.ContextClassLoader;
import dev.stepper.cache.testing.RedisEndpoint;
import dev.stepper.cache.testing.RedisTest;
import dev.stepper.cache.testing.RedisTestBed;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayDeque;
import java.util.Deque;
import javax.cache.CacheManager;
import org.hibernate.SessionFactory;
import org.hibernate.cache.jcache.internal.JCacheRegionFactory;
import org.hibernate.cache.spi.RegionFactory;
import org.hibernate.cfg.Configuration;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hibernate ORM's second-level cache on our provider, configured by properties only: the regions
 * are created on the fly ({@code missing_cache_strategy=create}) and so take the YAML file's
 * {@code default} section.
 */
@RedisTest
@Timeout(120)
class SecondLevelCacheTest {

  private static final String REGION = CommitNote.class.getName();

  private final Deque<SessionFactory> factories = new ArrayDeque<>();
  private RedisTestBed bed;

  @BeforeEach
  void open(RedisEndpoint redis) {
    bed = RedisTestBed.open(redis, "hibernate");
  }

  @AfterEach
  void close() {
    try {
      while (!factories.isEmpty()) {
        factories.pop().close();
      }
    } finally {
      bed.close();
    }
  }

  @Test
  void aSecondLoadInANewSessionIsServedFromRedisWithoutSql() {
    SessionFactory app = sessionFactory("app");
    persist(app, new CommitNote(1L, "shaabc", "Fixed the flaky lease test"));
    // a READ_WRITE insert caches the entity already; evicted, the first load has to fetch it
    app.getCache().evictEntityData(CommitNote.class);
    assertEquals(0, bed.keys(REGION + ":*").size(), "eviction reaches Redis");
    Statistics statistics = app.getStatistics();
    statistics.clear();

    assertEquals("Fixed the flaky lease test", load(app, 1L).note());
    assertEquals(1, statistics.getSecondLevelCacheMissCount());
    assertEquals(1, statistics.getSecondLevelCachePutCount());
    assertEquals(1, statistics.getPrepareStatementCount());
    assertEquals(1, bed.keys(REGION + ":*").size(), "the entry is in Redis under the region");

    assertEquals("shaabc", load(app, 1L).sha());
    assertEquals(1, statistics.getSecondLevelCacheHitCount());
    assertEquals(1, statistics.getPrepareStatementCount(), "no SQL for the cached entity");
  }

  /**
   * A second session factory stands in for another JVM: its own cache manager (made under a class
   * loader of its own) and a database of its own, without the row. It can only find the entity in
   * Redis.
   */
  @Test
  void anotherApplicationWithAnEmptyDatabaseFindsTheEntityInRedis() throws IOException {
    SessionFactory writer = sessionFactory("writer");
    persist(writer, new CommitNote(7L, "cafe01", "Split the revalidation executor"));

    SessionFactory reader;
    try (var otherJvm = new URLClassLoader(new URL[0], getClass().getClassLoader())) {
      reader = ContextClassLoader.with(otherJvm, () -> sessionFactory("reader"));
    }
    assertNotSame(cacheManager(writer), cacheManager(reader), "two managers, as in two JVMs");
    assertNull(reader.fromTransaction(session -> session
        .createSelectionQuery("from CommitNote", CommitNote.class).getSingleResultOrNull()),
        "the reader's database has no row");
    reader.getStatistics().clear();

    assertEquals("Split the revalidation executor", load(reader, 7L).note());
    assertEquals(1, reader.getStatistics().getSecondLevelCacheHitCount());
    assertEquals(0, reader.getStatistics().getPrepareStatementCount());
  }

  @Test
  void closingTheSessionFactoryClosesItsCacheManager() {
    SessionFactory app = sessionFactory("app");
    CacheManager manager = cacheManager(app);
    assertEquals("file", manager.getURI().getScheme(),
        "Hibernate resolves its classpath:// resource to a URL and hands the provider that");

    factories.remove(app);
    app.close();
    assertTrue(manager.isClosed());
  }

  private SessionFactory sessionFactory(String database) {
    SessionFactory factory = new Configuration()
        .addAnnotatedClass(CommitNote.class)
        .setProperty("hibernate.connection.url",
            "jdbc:h2:mem:" + bed.prefix() + "-" + database + ";DB_CLOSE_DELAY=-1")
        .setProperty("hibernate.hbm2ddl.auto", "create-drop")
        .setProperty("hibernate.cache.use_second_level_cache", "true")
        .setProperty("hibernate.cache.region.factory_class", "jcache")
        .setProperty("hibernate.javax.cache.provider", "dev.stepper.cache.StepperCachingProvider")
        .setProperty("hibernate.javax.cache.uri",
            "classpath://hibernate/stepper-cache.yaml")
        .setProperty("hibernate.javax.cache.missing_cache_strategy", "create")
        .setProperty("hibernate.generate_statistics", "true")
        .buildSessionFactory();
    factories.push(factory);
    return factory;
  }

  private static CacheManager cacheManager(SessionFactory factory) {
    var regions = factory.unwrap(SessionFactoryImplementor.class).getServiceRegistry()
        .requireService(RegionFactory.class);
    CacheManager manager = ((JCacheRegionFactory) regions).getCacheManager();
    assertNotNull(manager, "the region factory has started");
    return manager;
  }

  private static void persist(SessionFactory factory, CommitNote note) {
    factory.inTransaction(session -> session.persist(note));
  }

  private static CommitNote load(SessionFactory factory, long id) {
    return factory.fromSession(session -> session.find(CommitNote.class, id));
  }
}
