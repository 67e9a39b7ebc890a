package dev.stepper.examples.annotations.spring.restart;

import java.io.Serializable;

/**
 * A cached value of the restarted application: each restart's class loader defines this class
 * anew, so a note decoded through the wrong loader cannot be cast to it.
 *
 * @param id the note's id
 * @param text what it says
 */
public record Note(String id, String text) implements Serializable {
}
