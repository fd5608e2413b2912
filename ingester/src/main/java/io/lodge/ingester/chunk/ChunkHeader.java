package io.lodge.ingester.chunk;

import io.lodge.ingester.model.LabelSet;

/**
 * What a chunk says about itself: format version, owner, stream, time bounds (inclusive, Unix ns),
 * totals, and its checksum (the footer CRC32C, also the last part of its object key).
 *
 * @param sizeBytes the whole chunk's length in bytes
 */
public record ChunkHeader(
    int version,
    String tenant,
    LabelSet labels,
    long minTimestamp,
    long maxTimestamp,
    long entries,
    long rawBytes,
    int blockCount,
    int checksum,
    int sizeBytes) {}
