package dev.stepper.examples.diary;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Reads commits of a local git repository by running {@code git}: no library, and whatever
 * repository layout git understands (worktrees, submodules) just works. Thread-safe.
 */
public final class GitCommits {

  /** Only hex commit ids: a ref name such as {@code HEAD} or {@code main} would move under its key. */
  private static final Pattern COMMIT_ID = Pattern.compile("[0-9a-fA-F]{4,64}");
  private static final String FIELD = "\u001f";
  private static final String END_OF_HEADER = "\u001e";
  private static final String FORMAT = String.join("%x1f", "%H", "%h", "%an", "%aI", "%s", "%b")
      + "%x1e";

  private final Path repository;
  private final Duration timeout;

  /**
   * @param repository a directory inside the repository
   * @param timeout how long one {@code git} call may take before it is killed
   */
  public GitCommits(Path repository, Duration timeout) {
    this.repository = repository.toAbsolutePath().normalize();
    this.timeout = timeout;
  }

  /** @return the repository this reads, as an absolute path */
  public Path repository() {
    return repository;
  }

  /**
   * @param sha a commit id, full or abbreviated (at least 4 hex digits)
   * @return the commit
   * @throws IOException if git is missing, fails or takes too long, or knows no such commit
   * @throws InterruptedException if interrupted while git runs; git is then killed
   */
  public Commit show(String sha) throws IOException, InterruptedException {
    if (!COMMIT_ID.matcher(sha).matches()) {
      throw new IOException("'" + sha + "' is not a commit id: give 4 to 64 hex digits");
    }
    // -m --first-parent: a merge's files are what it brought into its branch
    Output git = git("show", "-m", "--first-parent", "--numstat", "--no-color",
        "--format=" + FORMAT, sha + "^{commit}", "--");
    if (git.failed()) {
      throw new IOException(git.error().contains("bad revision")
          ? "No commit " + sha + " in the git repository at " + repository + " (git: "
              + git.error() + ")"
          : "git show " + sha + " failed in " + repository + ": " + git.error());
    }
    String out = git.output();
    int headerEnd = out.indexOf(END_OF_HEADER);
    String[] header = out.substring(0, Math.max(headerEnd, 0)).split(FIELD, -1);
    if (headerEnd < 0 || header.length != 6) {
      throw new IOException("Unexpected output of git show " + sha + ": " + abbreviate(out));
    }
    return new Commit(header[0], header[1], header[2], OffsetDateTime.parse(header[3]), header[4],
        header[5].strip(), fileChanges(out.substring(headerEnd + 1)));
  }

  /**
   * @return the abbreviated id of the checked-out commit, for the walk-through's examples
   * @throws IOException if this is not a git repository or git fails
   * @throws InterruptedException if interrupted while git runs
   */
  public String head() throws IOException, InterruptedException {
    Output git = git("rev-parse", "--short", "HEAD");
    if (git.failed()) {
      throw new IOException("No git commit at " + repository + " (git: " + git.error() + ")");
    }
    return git.output().strip();
  }

  private static List<Commit.FileChange> fileChanges(String numstat) {
    List<Commit.FileChange> files = new ArrayList<>();
    for (String line : numstat.split("\n")) {
      String[] parts = line.split("\t", 3);
      if (parts.length == 3) {
        // binary files count "-" lines
        files.add(new Commit.FileChange(parts[2], count(parts[0]), count(parts[1])));
      }
    }
    return files;
  }

  private static int count(String numstat) {
    return numstat.equals("-") ? 0 : Integer.parseInt(numstat);
  }

  /** What git printed, and whether it failed. */
  private record Output(boolean failed, String output, String error) {}

  /** Runs git with its output in files, so that neither pipe can fill up and stall it. */
  private Output git(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git", "-C", repository.toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("stepper-demo-git", ".out");
    Path err = Files.createTempFile("stepper-demo-git", ".err");
    Process process = null;
    try {
      process = start(new ProcessBuilder(command).redirectOutput(out.toFile())
          .redirectError(err.toFile()));
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IOException("git " + args[0] + " took longer than " + timeout.toSeconds()
            + " s in " + repository + "; killed it");
      }
      return new Output(process.exitValue() != 0, Files.readString(out, StandardCharsets.UTF_8),
          abbreviate(Files.readString(err, StandardCharsets.UTF_8).strip()));
    } finally {
      if (process != null) {
        process.destroyForcibly();
      }
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static Process start(ProcessBuilder builder) throws IOException {
    try {
      return builder.start();
    } catch (IOException e) {
      throw new IOException("Cannot run git (" + e.getMessage() + "): install git and put it on"
          + " PATH", e);
    }
  }

  private static String abbreviate(String text) {
    String oneLine = text.replace('\n', ' ');
    return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "…";
  }
}
