package io.lodge.ingester.read;

/** Counts for {@code /index/stats}: streams, chunks, raw bytes (lines plus metadata) and entries. */
public record IndexStats(long streams, long chunks, long bytes, long entries) {}
