/**
 * Hibernate ORM's second-level cache on this provider through {@code hibernate-jcache}, with H2
 * in memory as the database; regions are made from the YAML file's {@code default} section.
 */
package dev.stepper.examples.hibernate;
