package io.lodge.config;

/**
 * Loki's {@code server} block: listen addresses and ports, plus Lodge's request body limit
 * ({@code http_server_max_request_body_size}, after decompression; larger bodies get 413).
 */
public record ServerConfig(
    String httpListenAddress,
    int httpListenPort,
    String grpcListenAddress,
    int grpcListenPort,
    int grpcServerMaxRecvMsgSize,
    long maxRequestBodySize,
    String logLevel,
    String logFormat) {

  public static ServerConfig defaults() {
    return new ServerConfig("0.0.0.0", 3100, "0.0.0.0", 9095, 4 << 20, 64L << 20, "info", "logfmt");
  }
}
