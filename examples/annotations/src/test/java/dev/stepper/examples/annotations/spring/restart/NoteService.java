package dev.stepper.examples.annotations.spring.restart;

import dev.stepper.examples.annotations.spring.Notebook;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.annotation.CacheResult;

/** The restarted application's cached service, behind Spring's JSR-107 annotation support. */
public class NoteService implements Notebook {

  private final AtomicInteger bodyCalls = new AtomicInteger();

  /** Made by the application's configuration. */
  public NoteService() {}

  @Override
  @CacheResult(cacheName = "notes-jdk")
  public Note jdk(String id) {
    return write(id);
  }

  @Override
  @CacheResult(cacheName = "notes-json")
  public Note json(String id) {
    return write(id);
  }

  @Override
  public int bodyCalls() {
    return bodyCalls.get();
  }

  /** Names the class loader that wrote the note, so a note read later tells where it came from. */
  private Note write(String id) {
    bodyCalls.incrementAndGet();
    return new Note(id, "written in " + getClass().getClassLoader().getName());
  }
}
