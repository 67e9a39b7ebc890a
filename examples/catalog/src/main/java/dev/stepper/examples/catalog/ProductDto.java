package dev.stepper.examples.catalog;

import java.time.Instant;

/**
 * A product as the catalog returns it: a record with a record of its own and a date, stored as
 * readable JSON ({@code value-codec: json} in {@code stepper-cache.yaml}).
 *
 * @param id the product's id
 * @param name its name
 * @param supplier who supplies it
 * @param updatedAt when it last changed
 */
public record ProductDto(String id, String name, Supplier supplier, Instant updatedAt) {

  /**
   * @param name the supplier's name
   * @param country where it ships from
   */
  public record Supplier(String name, String country) {}
}
