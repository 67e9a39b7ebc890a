package dev.stepper.examples.diary;

import com.google.inject.Guice;
import com.google.inject.Module;
import com.google.inject.util.Modules;
import com.sun.net.httpserver.HttpServer;
import dev.stepper.cache.report.Report;
import dev.stepper.cache.report.ReportCache;
import dev.stepper.cache.report.ReportKey;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.annotation.CacheResolverFactory;
import org.jsr107.ri.annotations.DefaultCacheResolverFactory;
import org.jsr107.ri.annotations.guice.module.CacheAnnotationsModule;

/**
 * The commit-diary service: {@link CommitDiaries} made by Guice with the JSR-107 annotations'
 * reference implementation, served over HTTP on the loopback interface (a demo has no business
 * on the network). Closing it stops the HTTP server; the cache manager belongs to the caller.
 */
public final class DiaryServer implements AutoCloseable {

  private final HttpServer http;
  private final ExecutorService handlers;
  private final ReportCache reports;
  private final boolean portTaken;

  private DiaryServer(HttpServer http, ExecutorService handlers, ReportCache reports,
      boolean portTaken) {
    this.http = http;
    this.handlers = handlers;
    this.reports = reports;
    this.portTaken = portTaken;
  }

  /**
   * @param manager the cache manager holding the cache {@code report}, configured with a report
   *     loader and a stale-while-revalidate expiry
   * @param port the port to listen on; 0, or a port that is taken, means any free port
   * @return the running server
   * @throws IOException if no port can be opened
   * @throws IllegalArgumentException if the manager has no suitable cache {@code report}
   */
  public static DiaryServer start(CacheManager manager, int port) throws IOException {
    Cache<ReportKey, Report> cache = manager.getCache(ReportCache.NAME, ReportKey.class,
        Report.class);
    if (cache == null) {
      throw new IllegalArgumentException("The cache manager " + manager.getURI() + " declares no"
          + " cache '" + ReportCache.NAME + "'");
    }
    ReportCache reports = ReportCache.of(cache);
    CommitDiaries diaries = Guice.createInjector(annotationsOn(manager))
        .getInstance(CommitDiaries.class);
    HttpServer http;
    boolean portTaken = false;
    try {
      http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    } catch (BindException e) {
      portTaken = true;
      http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    }
    ExecutorService handlers = Executors.newFixedThreadPool(4, runnable -> {
      Thread thread = new Thread(runnable, "diary-http");
      thread.setDaemon(true);
      return thread;
    });
    http.createContext("/", new DiaryHandler(diaries, reports));
    http.setExecutor(handlers);
    http.start();
    return new DiaryServer(http, handlers, reports, portTaken);
  }

  /**
   * The reference implementation's module, with caches looked up in {@code manager}: left alone
   * it would use {@code Caching.getCachingProvider().getCacheManager()}, whatever that is in this
   * JVM.
   */
  static Module annotationsOn(CacheManager manager) {
    return Modules.override(new CacheAnnotationsModule()).with(binder -> binder
        .bind(CacheResolverFactory.class).toInstance(new DefaultCacheResolverFactory(manager)));
  }

  /** @return {@code http://localhost:<port>} */
  public URI address() {
    return URI.create("http://localhost:" + http.getAddress().getPort());
  }

  /** @return whether the port asked for was taken, so another was chosen */
  public boolean portWasTaken() {
    return portTaken;
  }

  /** @return the report cache the service reads */
  public ReportCache reports() {
    return reports;
  }

  /** Stops taking requests and lets those under way finish within a second. */
  @Override
  public void close() {
    http.stop(1);
    handlers.shutdownNow();
  }
}
