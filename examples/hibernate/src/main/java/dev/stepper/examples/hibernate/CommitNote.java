package dev.stepper.examples.hibernate;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;

/** A commit's note, kept in the second-level cache: region {@code <this class's name>}. */
@Entity
@Cacheable
@Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
public class CommitNote {

  @Id
  private Long id;
  private String sha;
  private String note;

  /** For Hibernate. */
  protected CommitNote() {}

  CommitNote(Long id, String sha, String note) {
    this.id = id;
    this.sha = sha;
    this.note = note;
  }

  String sha() {
    return sha;
  }

  String note() {
    return note;
  }
}
