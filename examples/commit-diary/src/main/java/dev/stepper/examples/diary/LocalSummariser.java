package dev.stepper.examples.diary;

import dev.stepper.cache.report.ReportKey;
import dev.stepper.cache.report.ReportProvider;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes a commit's diary entry from {@code git show} alone: no network, no model, the same words
 * for the same commit. The last provider of the demo's chain, the one that always answers for a
 * commit that exists.
 */
public final class LocalSummariser implements ReportProvider {

  private static final int FILES_LISTED = 6;

  private final GitCommits git = DemoSettings.repository();

  /** Made by the cache configuration ({@code providers:} in the YAML file). */
  public LocalSummariser() {}

  @Override
  public String name() {
    return "local";
  }

  /** @throws java.io.IOException if the commit is unknown or git fails: the report then fails */
  @Override
  public String write(ReportKey key) throws Exception {
    Commit commit = git.show(key.sha());
    Thread.sleep(DemoSettings.latency().toMillis());
    return diary(key.user(), commit);
  }

  static String diary(String user, Commit commit) {
    StringBuilder out = new StringBuilder()
        .append("# ").append(user).append("'s commit diary: ").append(commit.shortSha())
        .append(" (").append(commit.date().toLocalDate()).append(")\n\n")
        .append(commit.subject()).append("\n")
        .append("by ").append(commit.author()).append(", ").append(commit.date()).append("\n\n")
        .append(summary(commit)).append("\n");
    if (!commit.files().isEmpty()) {
      out.append("\nFiles (").append(commit.files().size()).append(", +")
          .append(commit.insertions()).append(" -").append(commit.deletions()).append("):\n");
      commit.files().stream().limit(FILES_LISTED).forEach(file -> out.append("- ")
          .append(file.path()).append(" (+").append(file.insertions()).append(" -")
          .append(file.deletions()).append(")\n"));
      if (commit.files().size() > FILES_LISTED) {
        out.append("- and ").append(commit.files().size() - FILES_LISTED).append(" more\n");
      }
    }
    return out.toString();
  }

  /** A few sentences a reader can skim: what kind of change, where, and the author's why. */
  static String summary(Commit commit) {
    List<Commit.FileChange> files = commit.files();
    if (files.isEmpty()) {
      return "No file changes: an empty commit.";
    }
    StringBuilder out = new StringBuilder(kind(commit.insertions(), commit.deletions()))
        .append(" ").append(area(files));
    Commit.FileChange largest = files.stream()
        .max(Comparator.comparingInt(Commit.FileChange::size)).orElseThrow();
    if (files.size() > 1) {
      out.append(" The largest change is ").append(fileName(largest.path())).append(" (")
          .append(largest.size()).append(" lines).");
    }
    String why = commit.body().lines().findFirst().orElse("").strip();
    if (!why.isEmpty()) {
      out.append(" In the author's words: \"").append(why).append("\"");
    }
    return out.toString();
  }

  private static String kind(int insertions, int deletions) {
    if (insertions + deletions == 0) {
      return "Only binary files or renames.";
    }
    if (deletions == 0) {
      return "All new lines: " + insertions + " added, none removed.";
    }
    if (insertions == 0) {
      return "A pure removal: " + deletions + " lines gone.";
    }
    if (insertions >= 2 * deletions) {
      return "Mostly additions: " + insertions + " lines in, " + deletions + " out.";
    }
    if (deletions >= 2 * insertions) {
      return "Mostly a clean-up: " + deletions + " lines out, " + insertions + " in.";
    }
    return "A rework: " + insertions + " lines in, " + deletions + " out.";
  }

  private static String area(List<Commit.FileChange> files) {
    var linesByArea = files.stream().collect(Collectors.groupingBy(
        file -> areaOf(file.path()), Collectors.summingInt(Commit.FileChange::size)));
    int total = linesByArea.values().stream().mapToInt(Integer::intValue).sum();
    var top = linesByArea.entrySet().stream().max(Map.Entry.comparingByValue())
        .orElseThrow();
    if (linesByArea.size() == 1) {
      return "It is all " + top.getKey() + ".";
    }
    int share = total == 0 ? 0 : 100 * top.getValue() / total;
    return "Most of it (" + share + "%) is " + top.getKey() + ".";
  }

  private static String areaOf(String path) {
    if (path.contains("src/test/")) {
      return "tests";
    }
    if (path.contains("src/main/")) {
      return "production code";
    }
    if (path.endsWith(".md") || path.startsWith("docs/")) {
      return "documentation";
    }
    return "build and configuration";
  }

  private static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
