/**
 * How caches and cache managers are configured, beneath everything that reads or applies a
 * configuration: {@link dev.stepper.cache.config.StepperConfiguration} (a {@code
 * MutableConfiguration} that also chooses codecs), the one duration grammar that manager URIs and
 * configuration files share ({@link dev.stepper.cache.config.Durations}), and {@link
 * dev.stepper.cache.config.Redaction}, which keeps the password of a manager URI out of every
 * message, log line and MXBean name. The YAML file itself is read in {@code config.file}.
 *
 * <p>Public API. Depends on {@code javax.cache} and {@code codec} only, so that {@code report},
 * {@code config.file} and {@code redis} can all build on it.
 */
package dev.stepper.cache.config;
