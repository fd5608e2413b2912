package io.lodge.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /loki/api/v1/status/buildinfo} (LOKI-COMPAT 2.13): bare JSON with Loki's keys. Grafana
 * reads {@code version} to switch features on, so it names the Loki release Lodge is compatible with;
 * Lodge's own version goes in {@code lodgeVersion}, the Java version in {@code goVersion}.
 */
public final class BuildInfoHandler implements HttpHandler {
  public static final String PATH = "/loki/api/v1/status/buildinfo";
  /** The Loki release whose API Lodge implements. */
  public static final String LOKI_COMPATIBLE_VERSION = "3.4.6";

  /** The fields of the answer. */
  public record BuildInfo(String version, String lodgeVersion, String revision, String branch, String buildUser,
      String buildDate, String goVersion) {

    /** Lodge's build: version from the jar manifest when packaged, else "dev"; the running Java. */
    public static BuildInfo current() {
      String lodge = BuildInfoHandler.class.getPackage().getImplementationVersion();
      return new BuildInfo(LOKI_COMPATIBLE_VERSION, lodge == null ? "dev" : lodge, "unknown", "unknown",
          "unknown", "unknown", "java" + Runtime.version());
    }
  }

  private static final JsonFactory JSON = new JsonFactory();

  private final byte[] body;

  public BuildInfoHandler(BuildInfo info) {
    this.body = encode(info);
  }

  public void register(Router router) {
    router.get(PATH, this);
  }

  @Override
  public CompletableFuture<Response> handle(Request request) {
    return CompletableFuture.completedFuture(Response.json(200, body));
  }

  static byte[] encode(BuildInfo info) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("version", info.version());
      g.writeStringField("revision", info.revision());
      g.writeStringField("branch", info.branch());
      g.writeStringField("buildUser", info.buildUser());
      g.writeStringField("buildDate", info.buildDate());
      g.writeStringField("goVersion", info.goVersion());
      g.writeStringField("lodgeVersion", info.lodgeVersion());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
