package dev.stepper.examples.diary;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * One commit as {@code git show --numstat} tells it: what the diary providers write about.
 *
 * @param sha the full commit id
 * @param shortSha the abbreviated id git would print
 * @param author the author's name
 * @param date when it was authored
 * @param subject the message's first line
 * @param body the rest of the message, possibly empty
 * @param files the files changed (for a merge, against its first parent)
 */
public record Commit(String sha, String shortSha, String author, OffsetDateTime date,
    String subject, String body, List<FileChange> files) {

  /** Copies the list. */
  public Commit {
    files = List.copyOf(files);
  }

  /** @return lines added over all files */
  public int insertions() {
    return files.stream().mapToInt(FileChange::insertions).sum();
  }

  /** @return lines removed over all files */
  public int deletions() {
    return files.stream().mapToInt(FileChange::deletions).sum();
  }

  /**
   * One file of a commit.
   *
   * @param path where it lives in the repository
   * @param insertions lines added; 0 for a binary file
   * @param deletions lines removed; 0 for a binary file
   */
  public record FileChange(String path, int insertions, int deletions) {

    /** @return lines added and removed */
    public int size() {
      return insertions + deletions;
    }
  }
}
