package dev.v2pledger.replay;

import static dev.v2pledger.replay.ToolRunner.fixture;
import static dev.v2pledger.replay.ToolRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rebuild} on the races fixture: every expected location, worked out from the fold rules.
 */
class RebuildTest {
  static final String SLED_1 = "51ed0000-0000-4000-8000-000000000001";
  static final String SLED_2 = "51ed0000-0000-4000-8000-000000000002";
  static final String SLED_3 = "51ed0000-0000-4000-8000-000000000003";
  static final String INSTANCE_A = "a0000001-0000-4000-8000-000000000001";

  private static JsonNode json(String... args) throws Exception {
    ToolRunner.Run run = run(args);
    assertThat(run.exit()).as(run.err()).isZero();
    return new ObjectMapper().readTree(run.out());
  }

  /** {@code rebuild --from-file races.jsonl --format json} and then {@code args}, parsed. */
  private static JsonNode racesJson(String... args) throws Exception {
    List<String> all =
        new ArrayList<>(
            List.of(
                "rebuild", "--from-file", fixture("races.jsonl").toString(), "--format", "json"));
    all.addAll(List.of(args));
    return json(all.toArray(String[]::new));
  }

  private static List<String> rows(JsonNode mappings) {
    List<String> rows = new ArrayList<>();
    mappings.forEach(
        m ->
            rows.add(
                m.get("ip").asText()
                    + " "
                    + m.get("sled_id").asText()
                    + " e"
                    + m.get("ip_epoch").asInt()
                    + " g"
                    + m.get("location_gen").asInt()));
    return rows;
  }

  @Test
  void rebuildsEveryRaceToTheRightSledAndTheNewerEpochOfAReusedIp() throws Exception {
    JsonNode state =
        json("rebuild", "--from-file", fixture("races.jsonl").toString(), "--format", "json");

    assertThat(rows(state.get("mappings")))
        .containsExactly(
            "172.30.0.1 " + SLED_1 + " e1 g2",
            "172.30.0.2 " + SLED_2 + " e1 g2",
            "172.30.0.3 " + SLED_3 + " e1 g3",
            "172.30.0.4 " + SLED_3 + " e1 g2",
            "172.30.0.50 " + SLED_3 + " e2 g1");
    assertThat(state.get("instances")).hasSize(6);
    JsonNode first = state.get("mappings").get(0);
    assertThat(first.get("vni").asInt()).isEqualTo(7777);
    assertThat(first.get("mac").asText()).isEqualTo("a8:40:25:00:00:01");
    assertThat(first.get("underlay_ip").asText()).isEqualTo("fd00:1122:3344:101::1");
    assertThat(first.get("instance_id").asText()).isEqualTo(INSTANCE_A);
    assertThat(first.has("state")).isFalse();
  }

  @Test
  void untilALineShowsTheMigrationStillInFlight() throws Exception {
    JsonNode state = racesJson("--until-offset", "4");

    JsonNode a = state.get("instances").get(0);
    assertThat(a.get("instance_id").asText()).isEqualTo(INSTANCE_A);
    assertThat(a.get("sled_id").asText()).isEqualTo(SLED_1);
    assertThat(a.get("migration").get("target_sled_id").asText()).isEqualTo(SLED_2);
    assertThat(state.get("instances")).hasSize(1);
  }

  /** The table says how each instance's latest migration ended, not only that there was one. */
  @Test
  void theTableShowsTheOutcomeOfEachLatestMigration() {
    ToolRunner.Run inFlight =
        run("rebuild", "--from-file", fixture("races.jsonl").toString(), "--until-offset", "4");
    ToolRunner.Run atTheEnd = run("rebuild", "--from-file", fixture("races.jsonl").toString());

    assertThat(row(inFlight, INSTANCE_A)).contains(" open ");
    assertThat(row(atTheEnd, INSTANCE_A)).containsPattern(" (completed|failed) ");
    assertThat(atTheEnd.out().lines().filter(l -> l.startsWith("INSTANCE")))
        .singleElement()
        .asString()
        .containsPattern("TARGET_SLED +OUTCOME +LOCATION_GEN");
  }

  private static String row(ToolRunner.Run run, String instance) {
    assertThat(run.exit()).as(run.err()).isZero();
    return run.out().lines().filter(l -> l.startsWith(instance)).findFirst().orElseThrow();
  }

  @Test
  void untilATimeStopsAtThatPublisherTimeForAFileWithoutLogTimes() throws Exception {
    JsonNode state = racesJson("--until-time", "2026-11-23T03:10:05Z");

    assertThat(state.get("instances").get(0).get("location_gen").asInt()).isEqualTo(2);
    assertThat(state.get("instances")).hasSize(1);
  }

  @Test
  void includeClearedListsClearedMappingsWithTheirState(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("deleted.jsonl");
    List<String> lines = Files.readAllLines(fixture("races.jsonl")).subList(0, 2);
    List<String> withDelete = new ArrayList<>(lines);
    withDelete.add("{\"type\":\"InstanceDeleted\",\"instance_id\":\"" + INSTANCE_A + "\"}");
    Files.write(file, withDelete);

    JsonNode setOnly = json("rebuild", "--from-file", file.toString(), "--format", "json");
    JsonNode all =
        json("rebuild", "--from-file", file.toString(), "--format", "json", "--include-cleared");

    assertThat(setOnly.get("mappings")).isEmpty();
    assertThat(all.get("mappings")).hasSize(1);
    assertThat(all.get("mappings").get(0).get("state").asText()).isEqualTo("CLEARED");
    assertThat(all.get("mappings").get(0).get("location_gen").asInt()).isEqualTo(2);
    assertThat(all.get("instances").get(0).get("deleted").asBoolean()).isTrue();
  }

  @Test
  void optionsComeFromAConfigFileAndTheCommandLineWins(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("replay.properties");
    Files.writeString(
        config, "from-file=" + fixture("races.jsonl") + "\nformat=json\nuntil-offset=1\n");

    ToolRunner.Run fromFile = run("rebuild", "--config", config.toString());
    ToolRunner.Run overridden =
        run("rebuild", "--config=" + config, "--until-offset", "999", "--format", "table");

    assertThat(fromFile.exit()).as(fromFile.err()).isZero();
    assertThat(fromFile.out()).startsWith("{").contains("\"instances\"");
    assertThat(overridden.exit()).as(overridden.err()).isZero();
    assertThat(overridden.out())
        .isEqualTo(run("rebuild", "--from-file", fixture("races.jsonl").toString()).out());
    run("rebuild", "--config", dir.resolve("none.properties").toString())
        .assertUsageError(
            "rebuild: cannot read --config " + dir.resolve("none.properties") + ": no such file");
  }

  @Test
  void tableFormatAlignsColumns() {
    ToolRunner.Run run = run("rebuild", "--from-file", fixture("races.jsonl").toString());

    assertThat(run.exit()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines).contains("instances: 6", "mappings: 5");
    String header = lines.stream().filter(l -> l.startsWith("VNI")).findFirst().orElseThrow();
    String row =
        lines.stream().filter(l -> l.startsWith("7777  172.30.0.50")).findFirst().orElseThrow();
    assertThat(row.indexOf("a8:40:25:00:00:06")).isEqualTo(header.indexOf("MAC"));
  }
}
