/**
 * The declarative configuration file: a YAML document, named by a cache manager's URI
 * ({@code classpath:stepper-cache.yaml}, {@code file:…}) or found on the class path as
 * {@value dev.stepper.cache.config.file.ConfigurationFile#DEFAULT_NAME}, that says where Redis is
 * and which caches exist, with their types, codecs, expiry, loader and writer.
 *
 * <p>{@link dev.stepper.cache.config.file.ConfigurationFile} is the one public type; the cache
 * manager reads the file through it. The file is bound strictly (unknown keys and duplicate keys are
 * errors) and every error names the file, the key and what was expected.
 *
 * <p>Builds on the public API only: {@code config} ({@code StepperConfiguration}, the duration
 * grammar, the password redaction), {@code codec}, {@code swr} and {@code report} (for report
 * generators), with Jackson's YAML module for parsing; from {@code redis} only
 * {@code RedisSettings}, which a file's {@code redis:} section becomes.
 */
package dev.stepper.cache.config.file;
