package dev.v2pledger.projector.topics;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What {@link TopicSetup#apply} did: for each topic, whether it was created or found, its partition
 * count, and how the configs of a found topic differ from what a new one would get.
 */
public record TopicReport(List<Entry> entries) {

  /** Created by this run, or there already. */
  public enum Action {
    CREATED,
    FOUND
  }

  /**
   * One topic.
   *
   * @param configs the settings it was created with, or, when found, what it has of those wanted
   *     ("none" for one it lacks)
   * @param differences for a found topic, each wanted config it does not have ({@code name=value
   *     (wanted w)}); empty when it matches, and for created topics
   */
  public record Entry(
      String name,
      Action action,
      int partitions,
      Map<String, String> configs,
      List<String> differences) {
    public Entry {
      configs = Map.copyOf(configs);
      differences = List.copyOf(differences);
    }

    /** One line for a person: {@code created v2p.events (6 partitions; retention.ms=-1, ...)}. */
    public String describe() {
      String what = action == Action.CREATED ? "created" : "found  ";
      String settings =
          configs.entrySet().stream()
              .sorted(Map.Entry.comparingByKey())
              .map(e -> e.getKey() + "=" + e.getValue())
              .collect(Collectors.joining(", "));
      String line =
          what
              + " "
              + name
              + " ("
              + partitions
              + (partitions == 1 ? " partition; " : " partitions; ")
              + settings
              + ")";
      return differences.isEmpty()
          ? line
          : line + " WARNING differs: " + String.join(", ", differences);
    }
  }

  public TopicReport {
    entries = List.copyOf(entries);
  }

  public List<String> created() {
    return entries.stream().filter(e -> e.action() == Action.CREATED).map(Entry::name).toList();
  }

  public List<String> found() {
    return entries.stream().filter(e -> e.action() == Action.FOUND).map(Entry::name).toList();
  }

  /** Found topics whose configs differ from the wanted ones. */
  public List<Entry> mismatched() {
    return entries.stream().filter(e -> !e.differences().isEmpty()).toList();
  }
}
