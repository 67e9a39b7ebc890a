package dev.stepper.cache.config.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:default}} in a file's text values with what the lookup
 * finds for {@code NAME} (the manager's properties, a framework's configuration, the system
 * property, the environment variable), else the default, so that one file serves
 * every environment and secrets stay out of it. A value that is one placeholder and nothing else
 * reads as if its value had been written there: {@code job-threads: ${THREADS:4}} is the number
 * 4, {@code statistics: ${STATS:true}} the flag; everything else stays text.
 */
final class Placeholders {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}");
  private static final Pattern WHOLE_NUMBER = Pattern.compile("-?\\d{1,18}");

  private Placeholders() {}

  /**
   * Resolves every text value of the tree, in place for sections and lists.
   *
   * @return the node with its placeholders resolved: a new one for a text, else the node itself
   */
  static JsonNode resolve(JsonNode node, String path, Problems problems,
      UnaryOperator<String> lookup) {
    if (node.isTextual()) {
      return resolve(node.textValue(), path, problems, lookup);
    }
    if (node instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        object.set(name, resolve(object.get(name), Problems.child(path, name), problems,
            lookup));
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, resolve(array.get(i), path + "[" + i + "]", problems, lookup));
      }
    }
    return node;
  }

  private static JsonNode resolve(String text, String path, Problems problems,
      UnaryOperator<String> lookup) {
    Matcher m = PLACEHOLDER.matcher(text);
    boolean whole = m.matches();
    m.reset();
    StringBuilder result = new StringBuilder();
    while (m.find()) {
      String name = m.group(1).trim();
      if (name.isEmpty()) {
        throw problems.at(path, "'${}' names nothing: write ${NAME} or ${NAME:default}");
      }
      if (m.group(2) != null && m.group(2).contains("${")) {
        throw problems.at(path, "a placeholder's default cannot hold another placeholder");
      }
      String value = lookup.apply(name);
      if (value == null) {
        value = m.group(2);
      }
      if (value == null) {
        throw problems.at(path, "${" + name + "} is not set: set the system property or"
            + " environment variable " + name + " (under Spring Boot, also a property of the"
            + " application's configuration), or give a default as ${" + name + ":value}");
      }
      m.appendReplacement(result, Matcher.quoteReplacement(value));
    }
    m.appendTail(result);
    String value = result.toString();
    if (whole && WHOLE_NUMBER.matcher(value).matches()) {
      return LongNode.valueOf(Long.parseLong(value));
    }
    if (whole && (value.equals("true") || value.equals("false"))) {
      return BooleanNode.valueOf(Boolean.parseBoolean(value));
    }
    return TextNode.valueOf(value);
  }
}
