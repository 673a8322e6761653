package dev.v2pledger.devstack.compose;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/** The repository's {@code compose/} directory, read as Docker Compose would read it. */
final class ComposeFiles {
  final Path root;
  final Path compose;

  private ComposeFiles(Path root) {
    this.root = root;
    this.compose = root.resolve("compose");
  }

  /** Tests run in the module's directory; the repository is its parent. */
  static ComposeFiles ofRepository() {
    Path module = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path dir = module; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("compose/docker-compose.yml"))) {
        return new ComposeFiles(dir);
      }
    }
    throw new IllegalStateException("no compose/docker-compose.yml above " + module);
  }

  /** The services, with YAML anchors and merge keys ({@code <<: *app}) resolved. */
  @SuppressWarnings("unchecked")
  Map<String, Map<String, Object>> services() throws IOException {
    return (Map<String, Map<String, Object>>) yaml("docker-compose.yml").get("services");
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> yaml(String relative) throws IOException {
    try (Reader in = Files.newBufferedReader(compose.resolve(relative))) {
      return (Map<String, Object>) new Yaml().load(in);
    }
  }

  /** A service's command as a list of strings. */
  @SuppressWarnings("unchecked")
  static List<String> command(Map<String, Object> service) {
    Object command = service.get("command");
    return command == null ? List.of() : new ArrayList<>((List<String>) command);
  }

  /** A service's environment (a map, or a list of {@code KEY=VALUE}). */
  @SuppressWarnings("unchecked")
  static Map<String, String> environment(Map<String, Object> service) {
    Map<String, String> env = new LinkedHashMap<>();
    Object raw = service.get("environment");
    if (raw instanceof Map<?, ?> map) {
      map.forEach((k, v) -> env.put(String.valueOf(k), String.valueOf(v)));
    } else if (raw instanceof List<?> list) {
      for (Object item : list) {
        String[] kv = String.valueOf(item).split("=", 2);
        env.put(kv[0], kv.length > 1 ? kv[1] : "");
      }
    }
    return env;
  }

  /** The value following {@code flag} in {@code command} (e.g. {@code --metrics-port}), or null. */
  static String flag(List<String> command, String flag) {
    int at = command.indexOf(flag);
    return at < 0 || at + 1 >= command.size() ? null : command.get(at + 1);
  }

  /** The sources of the Dockerfile's {@code COPY} instructions (continuation lines joined). */
  List<String> dockerfileCopySources() throws IOException {
    String text = Files.readString(compose.resolve("Dockerfile")).replaceAll("\\\\\\R", " ");
    List<String> sources = new ArrayList<>();
    for (String line : text.split("\\R")) {
      String[] words = line.trim().split("\\s+");
      if (words.length >= 3 && words[0].equals("COPY")) {
        for (int i = 1; i < words.length - 1; i++) {
          if (!words[i].startsWith("--")) {
            sources.add(words[i]);
          }
        }
      }
    }
    return sources;
  }

  /** A {@code <name>value</name>} property of the parent pom. */
  String pomProperty(String name) throws IOException {
    Matcher m =
        Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">")
            .matcher(Files.readString(root.resolve("pom.xml")));
    if (!m.find()) {
      throw new IllegalStateException("no <" + name + "> in the parent pom");
    }
    return m.group(1).trim();
  }

  /** The project's version, from the parent pom's own {@code <version>} (after its artifactId). */
  String projectVersion() throws IOException {
    Matcher m =
        Pattern.compile("<artifactId>v2p-ledger-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(Files.readString(root.resolve("pom.xml")));
    if (!m.find()) {
      throw new IllegalStateException("no version of v2p-ledger-parent in the parent pom");
    }
    return m.group(1).trim();
  }
}
