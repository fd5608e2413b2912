package io.lodge.server.http;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * {@code GET /config} (LOKI-COMPAT 2.13): the configuration as YAML. {@code ?mode=diffs} shows only
 * non-default values and {@code ?mode=defaults} the defaults; any other mode, like Loki, the current
 * configuration.
 */
public final class ConfigHandler implements HttpHandler {
  public static final String PATH = "/config";

  private final Function<String, String> yamlForMode;

  /** {@code yamlForMode} gets {@code ""}, {@code "diffs"} or {@code "defaults"} and returns YAML. */
  public ConfigHandler(Function<String, String> yamlForMode) {
    this.yamlForMode = yamlForMode;
  }

  public void register(Router router) {
    router.get(PATH, this);
  }

  @Override
  public CompletableFuture<Response> handle(Request request) {
    String mode = request.param("mode");
    String normalized = "diffs".equals(mode) || "defaults".equals(mode) ? mode : "";
    return CompletableFuture.completedFuture(Response.of(200, "text/yaml", yamlForMode.apply(normalized).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }
}
