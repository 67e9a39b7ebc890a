package dev.stepper.cache.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stepper.cache.redis.Audience.Admission;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The quiet lease: how long a write script's finding that nobody listens lets writes go as plain
 * commands, and how one write renews it. The lease is 100 ms; findings are back-dated to place
 * the lease where each case needs it.
 */
class AudienceTest {

  private final Audience audience = new Audience();

  @Test
  void withoutAFindingEveryWriteGoesThroughTheScript() {
    assertEquals(Admission.SCRIPT, audience.admit());
  }

  @Test
  void aFindingOfNobodyLetsWritesGoPlainForTheLease() {
    audience.heard(System.nanoTime(), false);
    assertEquals(Admission.PLAIN, audience.admit());
    assertEquals(Admission.PLAIN, audience.admit());
  }

  @Test
  void theLeaseIsCountedFromBeforeTheScriptWasSent() {
    audience.heard(System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(101), false);
    assertEquals(Admission.SCRIPT, audience.admit());
  }

  @Test
  void aFindingOfAListenerEndsTheLease() {
    audience.heard(System.nanoTime(), false);
    audience.heard(System.nanoTime(), true);
    assertEquals(Admission.SCRIPT, audience.admit());
  }

  @Test
  void inItsLastQuarterOneWriteRenewsTheLeaseWhileTheOthersStillGoPlain() {
    long sentAt = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(80);
    audience.heard(sentAt, false);
    assertEquals(Admission.RENEW, audience.admit());
    assertEquals(Admission.PLAIN, audience.admit(), "a second renewal while one is under way");
    assertTrue(System.nanoTime() - sentAt < TimeUnit.MILLISECONDS.toNanos(100),
        "this machine stalled past the lease; the admissions above prove nothing");

    audience.renewalDone(); // the renewal failed: the next write in the last quarter tries again
    assertEquals(Admission.RENEW, audience.admit());
    audience.heard(System.nanoTime(), false);
    audience.renewalDone();
    assertEquals(Admission.PLAIN, audience.admit(), "renewed: plain again, no renewal due");
  }
}
