package io.lodge.bench.load;

/**
 * One pre-encoded push: the snappy-compressed protobuf {@code body}, how many entries it carries and
 * their line bytes before compression (what "MB/s" counts, as Loki's received-bytes metrics do).
 */
public record PushBody(byte[] body, int lines, long lineBytes) {}
