package io.lodge.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads Lodge's configuration like Loki's: Loki-style flags ({@code -config.file=FILE},
 * {@code -config.expand-env=true}, {@code -server.http-listen-port=3100}, ...) over a Loki-style YAML file
 * over the embedded defaults ({@link LodgeConfig#defaults()}).
 *
 * <p>As in Loki: {@code -config.file} may be a comma-separated list (the first existing file is used);
 * without it {@code config.yaml} and then {@code config/config.yaml} in the working directory are tried,
 * and with neither the defaults alone are used.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /**
   * Builds the effective config from command-line flags, the process environment and working directory.
   *
   * @throws HelpRequestedException for {@code -h}/{@code -help} (print {@link HelpRequestedException#usage()}, exit 0)
   * @throws ConfigException on bad input; the message names the flag, or the file, line and key
   */
  public static LoadedConfig load(String[] args) {
    return load(args, System::getenv, Path.of(""));
  }

  /** {@link #load(String[])} with an explicit environment and working directory (for tests). */
  public static LoadedConfig load(String[] args, Function<String, String> env, Path workDir) {
    Flags.Parsed flags = Flags.parse(args);
    Path file = findConfigFile(flags.configFiles(), workDir);
    LodgeConfig config = LodgeConfig.defaults();
    List<String> warnings = new ArrayList<>();
    if (file != null) {
      String text = readText(file);
      if (flags.expandEnv()) text = new EnvExpander(env).expand(text, file.toString());
      YamlConfigReader.Result result = YamlConfigReader.read(text, file.toString(), config);
      config = result.config();
      warnings.addAll(result.warnings());
    }
    config = Flags.apply(flags, config);
    return new LoadedConfig(config, warnings, flags.printConfigStderr(), file);
  }

  /** Parses YAML text over the defaults, without flags (for tests and for tools that hold the text). */
  public static LoadedConfig fromYaml(String yaml, String source) {
    YamlConfigReader.Result result = YamlConfigReader.read(yaml, source, LodgeConfig.defaults());
    return new LoadedConfig(result.config(), result.warnings(), false);
  }

  /** Go-style usage text listing every supported flag and its default (what {@code -help} prints). */
  public static String usage() {
    return Flags.usage();
  }

  private static Path findConfigFile(String configFiles, Path workDir) {
    if (configFiles == null) {
      for (String candidate : List.of("config.yaml", "config/config.yaml")) {
        Path p = workDir.resolve(candidate);
        if (Files.isRegularFile(p)) return p;
      }
      return null;
    }
    List<String> tried = new ArrayList<>();
    for (String part : configFiles.split(",")) {
      String name = part.trim();
      if (name.isEmpty()) continue;
      Path p = workDir.resolve(name);
      if (Files.isRegularFile(p)) return p;
      tried.add(p.toString());
    }
    if (tried.isEmpty()) throw new ConfigException("-config.file is empty");
    throw new ConfigException(tried.size() == 1
        ? "config file " + tried.get(0) + " does not exist"
        : "none of the config files exist: " + String.join(", ", tried));
  }

  private static String readText(Path file) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
    } catch (CharacterCodingException e) {
      throw new ConfigException("config file " + file + " is not valid UTF-8", e);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
  }
}
