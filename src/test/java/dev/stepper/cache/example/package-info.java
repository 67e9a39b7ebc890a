/** Runnable examples of the provider, run from the README (test scope: not shipped). */
package dev.stepper.cache.example;
