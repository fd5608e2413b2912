package io.lodge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private LoadedConfig load(String... args) {
    return ConfigLoader.load(args, name -> null, dir);
  }

  private Path write(String name, String yaml) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void noFlagsNoFileGivesDefaults() {
    LoadedConfig loaded = load();
    assertThat(loaded.config()).isEqualTo(LodgeConfig.defaults());
    assertThat(loaded.warnings()).isEmpty();
    assertThat(loaded.printConfigStderr()).isFalse();
    assertThat(loaded.configFile()).isNull();
  }

  @Test
  void everyGoFlagSyntax() {
    LodgeConfig c = load("-server.http-listen-port=3101", "--server.grpc-listen-port=9101",
        "-server.http-listen-address", "127.0.0.1", "--common.path-prefix", "/srv/lodge",
        "-auth.enabled", "-ingester.wal-enabled=false", "-log.level=warn").config();
    assertThat(c.server().httpListenPort()).isEqualTo(3101);
    assertThat(c.server().grpcListenPort()).isEqualTo(9101);
    assertThat(c.server().httpListenAddress()).isEqualTo("127.0.0.1");
    assertThat(c.pathPrefix()).isEqualTo(Path.of("/srv/lodge"));
    assertThat(c.authEnabled()).isTrue();
    assertThat(c.ingester().wal().enabled()).isFalse();
    assertThat(c.server().logLevel()).isEqualTo("warn");
  }

  @Test
  void limitsAndIngesterFlags() {
    LodgeConfig c = load("-distributor.max-line-size=1MB", "-validation.discover-service-name=",
        "-validation.log-level-fields=level,lvl", "-ingester.max-chunk-age=1h", "-ingester.wal-dir=/w",
        "-validation.reject-old-samples.max-age=3d", "-querier.multi-tenant-queries-enabled").config();
    assertThat(c.limits().maxLineSize()).isEqualTo(1 << 20);
    assertThat(c.limits().discoverServiceName()).isEmpty();
    assertThat(c.limits().logLevelFields()).containsExactly("level", "lvl");
    assertThat(c.ingester().maxChunkAge()).isEqualTo(Duration.ofHours(1));
    assertThat(c.walDir()).isEqualTo(Path.of("/w"));
    assertThat(c.limits().rejectOldSamplesMaxAge()).isEqualTo(Duration.ofDays(3));
    assertThat(c.multiTenantQueriesEnabled()).isTrue();
  }

  @Test
  void flagBeatsFileBeatsDefault() throws IOException {
    Path file = write("loki.yaml", """
        server:
          http_listen_port: 3200
          grpc_listen_port: 9200
        """);
    LodgeConfig c = load("-config.file=" + file, "-server.http-listen-port=3300").config();
    assertThat(c.server().httpListenPort()).isEqualTo(3300); // flag over file
    assertThat(c.server().grpcListenPort()).isEqualTo(9200); // file over default
    assertThat(c.server().httpListenAddress()).isEqualTo(ServerConfig.defaults().httpListenAddress()); // default
    // order on the command line does not matter: the file is read first, flags applied after
    LodgeConfig c2 = load("-server.http-listen-port=3300", "-config.file", file.toString()).config();
    assertThat(c2).isEqualTo(c);
    // the last occurrence of a flag wins
    assertThat(load("-server.http-listen-port=1", "-server.http-listen-port=2").config().server().httpListenPort())
        .isEqualTo(2);
  }

  @Test
  void configFileListUsesFirstExisting() throws IOException {
    Path second = write("b.yaml", "server:\n  http_listen_port: 3400\n");
    LoadedConfig loaded = load("-config.file=" + dir.resolve("a.yaml") + "," + second);
    assertThat(loaded.configFile()).isEqualTo(second);
    assertThat(loaded.config().server().httpListenPort()).isEqualTo(3400);
    assertThatThrownBy(() -> load("-config.file=" + dir.resolve("missing.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config file " + dir.resolve("missing.yaml") + " does not exist");
  }

  @Test
  void defaultConfigFileLookup() throws IOException {
    write("config/config.yaml", "server:\n  http_listen_port: 3500\n");
    assertThat(load().config().server().httpListenPort()).isEqualTo(3500);
    write("config.yaml", "server:\n  http_listen_port: 3600\n");
    assertThat(load().config().server().httpListenPort()).isEqualTo(3600);
  }

  @Test
  void envExpansionOnlyWithFlag() throws IOException {
    Path file = write("loki.yaml", "server:\n  http_listen_port: ${PORT:-3100}\n  http_listen_address: '${ADDR}'\n");
    Map<String, String> env = Map.of("PORT", "3700");
    LodgeConfig expanded = ConfigLoader.load(new String[] {"-config.file=" + file, "-config.expand-env=true"},
        env::get, dir).config();
    assertThat(expanded.server().httpListenPort()).isEqualTo(3700);
    assertThat(expanded.server().httpListenAddress()).isEqualTo("0.0.0.0"); // empty = all interfaces, as in Loki
    assertThat(ConfigLoader.load(new String[] {"-config.file=" + file, "-config.expand-env"}, env::get, dir)
        .config()).isEqualTo(expanded);
    // without the flag the reference stays literal, which is not an integer
    assertThatThrownBy(() -> ConfigLoader.load(new String[] {"-config.file=" + file}, env::get, dir))
        .hasMessageContaining("key 'server.http_listen_port': expected an integer, got '${PORT:-3100}'");
  }

  @Test
  void emptyPathPrefixIsWorkingDirectory() {
    LodgeConfig c = load("-common.path-prefix=").config();
    assertThat(c.pathPrefix()).isEqualTo(Path.of(""));
    assertThat(c.walDir()).isEqualTo(Path.of("wal"));
  }

  @Test
  void printConfigFlag() {
    assertThat(load("-print-config-stderr").printConfigStderr()).isTrue();
    assertThat(load("-print-config-stderr=false").printConfigStderr()).isFalse();
    assertThat(load("-log-config-reverse-order").printConfigStderr()).isTrue();
  }

  @Test
  void badFlagsFail() {
    assertThatThrownBy(() -> load("-server.http-listen-prot=1"))
        .isInstanceOf(ConfigException.class).hasMessage("flag provided but not defined: -server.http-listen-prot");
    assertThatThrownBy(() -> load("-server.http-listen-port"))
        .hasMessage("flag needs an argument: -server.http-listen-port");
    assertThatThrownBy(() -> load("-server.http-listen-port=abc"))
        .hasMessage("invalid value \"abc\" for flag -server.http-listen-port: expected an integer, got 'abc'");
    assertThatThrownBy(() -> load("-auth.enabled=maybe"))
        .hasMessageStartingWith("invalid value \"maybe\" for flag -auth.enabled: expected a boolean");
    assertThatThrownBy(() -> load("-server.http-listen-port=99999"))
        .hasMessageContaining("port 99999 is out of range");
    assertThatThrownBy(() -> load("-auth.enabled", "false"))
        .hasMessage("unexpected argument 'false' (flags start with -)");
    assertThatThrownBy(() -> load("---x")).hasMessage("bad flag syntax: ---x");
  }

  @Test
  void targetOnlyAll() {
    assertThat(load("-target=all").config()).isEqualTo(LodgeConfig.defaults());
    assertThatThrownBy(() -> load("-target=querier"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("invalid value \"querier\" for flag -target: Lodge runs all components in one process; "
            + "only target 'all' is supported");
  }

  @Test
  void helpIsDistinctAndListsFlags() {
    for (String h : new String[] {"-h", "-help", "--help"}) {
      assertThatThrownBy(() -> load("-server.http-listen-port=1", h))
          .isInstanceOf(HelpRequestedException.class)
          .satisfies(e -> {
            String usage = ((HelpRequestedException) e).usage();
            assertThat(usage).startsWith("Usage of lodge:");
            for (String name : Flags.names()) {
              if (!name.equals("h") && !name.equals("help")) assertThat(usage).contains("  -" + name);
            }
            assertThat(usage).contains("  -server.http-listen-port int\n    \tHTTP server listen port. (default 3100)");
            assertThat(usage).contains("  -distributor.max-line-size size\n");
          });
    }
  }

  /** Oracle: setting every flag to the rendered value of a random config reproduces that config's keys. */
  @Property(tries = 100)
  void flagsCarryEveryKindOfValue(@ForAll long seed) {
    LodgeConfig random = ConfigRendererTest.randomConfig(new Random(seed));
    List<String> args = new ArrayList<>();
    List<ConfigKey> flagged = new ArrayList<>();
    for (String name : Flags.names()) {
      ConfigKey key = ConfigSchema.lodge().key(flagPath(name));
      if (key == null || key.kind() == ValueKind.STRING_LIST) continue; // lists: comma-separated, tested above
      args.add("-" + name + "=" + key.kind().renderFlag(key.get(random)));
      flagged.add(key);
    }
    // jqwik properties get no @TempDir; a directory that does not exist has no config.yaml to pick up
    Path nowhere = Path.of("/nonexistent-lodge-config-test");
    LodgeConfig loaded = ConfigLoader.load(args.toArray(String[]::new), n -> null, nowhere).config();
    for (ConfigKey key : flagged) assertThat(key.get(loaded)).as(key.path()).isEqualTo(key.get(random));
  }

  private static String flagPath(String flagName) {
    try {
      return Flags.parse(new String[] {"-" + flagName + "=x"}).settings().get(0).spec().key().path();
    } catch (RuntimeException e) {
      return "";
    }
  }
}
