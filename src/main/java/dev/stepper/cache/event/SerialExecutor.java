package dev.stepper.cache.event;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/** Runs tasks one after another, in submission order, on a shared executor. */
final class SerialExecutor implements Executor {

  private final Executor delegate;
  private final Queue<Runnable> tasks = new ArrayDeque<>();
  private boolean running;

  SerialExecutor(Executor delegate) {
    this.delegate = delegate;
  }

  @Override
  public synchronized void execute(Runnable task) {
    tasks.add(task);
    if (!running) {
      running = true;
      try {
        delegate.execute(this::drain);
      } catch (RuntimeException e) {
        // a rejected drain must not leave the queue marked running forever
        running = false;
        tasks.clear();
        throw e;
      }
    }
  }

  private void drain() {
    while (true) {
      Runnable next;
      synchronized (this) {
        next = tasks.poll();
        if (next == null) {
          running = false;
          return;
        }
      }
      next.run();
    }
  }
}
