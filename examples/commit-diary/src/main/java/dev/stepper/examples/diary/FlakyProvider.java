package dev.stepper.examples.diary;

import dev.stepper.cache.report.ReportKey;
import dev.stepper.cache.report.ReportProvider;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands in for a remote AI provider that is often down: of every three calls, the first two fail
 * with the error an overloaded model service gives, the third answers. Deterministic, so the
 * demo's first report always lists {@code flaky: ERROR} before {@code local: OK}.
 *
 * <p>A real provider (Gemini, Cohere, ...) is a class like this one: implement
 * {@link ReportProvider} with a public no-argument constructor, read its API key from the
 * environment, send the commit ({@link GitCommits#show}) to the model and return its text, and
 * list it first under {@code providers:} in the YAML file. The chain bounds its time and falls
 * back to the next provider when it throws or times out.
 */
public final class FlakyProvider implements ReportProvider {

  private final AtomicLong calls = new AtomicLong();
  private final GitCommits git = DemoSettings.repository();

  /** Made by the cache configuration ({@code providers:} in the YAML file). */
  public FlakyProvider() {}

  @Override
  public String name() {
    return "flaky";
  }

  /** @throws IOException on two calls out of three, as an overloaded upstream would */
  @Override
  public String write(ReportKey key) throws Exception {
    long call = calls.incrementAndGet();
    // a failing remote call still costs a round trip
    Thread.sleep(DemoSettings.latency().toMillis());
    if (call % 3 != 0) {
      throw new IOException("503 from upstream: model overloaded, try again later (call " + call
          + ")");
    }
    Commit commit = git.show(key.sha());
    return "# Dear diary (" + commit.date().toLocalDate() + ", written by the flaky model)\n\n"
        + "Today " + commit.author() + " committed \"" + commit.subject() + "\" ("
        + commit.shortSha() + "). " + LocalSummariser.summary(commit) + "\n";
  }
}
