package io.lodge.querier.api;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * The {@code stats} object of a query response with every key Loki 3.4.6 emits (LOKI-COMPAT 2.4.4);
 * Lodge fills the summary and the head/chunk counts it knows and writes zeros for the rest.
 */
public final class QueryStats {
  private long entriesReturned;
  private long linesProcessed;
  private long bytesProcessed;
  private final long startNanos = System.nanoTime();

  public void entryReturned() {
    entriesReturned++;
  }

  public void processed(long lines, long bytes) {
    linesProcessed += lines;
    bytesProcessed += bytes;
  }

  /** Writes {@code "stats": {...}} into the current object. */
  public void write(JsonGenerator g) throws IOException {
    double execSeconds = (System.nanoTime() - startNanos) / 1e9;
    g.writeObjectFieldStart("stats");
    g.writeObjectFieldStart("summary");
    g.writeNumberField("bytesProcessedPerSecond", execSeconds > 0 ? (long) (bytesProcessed / execSeconds) : 0);
    g.writeNumberField("linesProcessedPerSecond", execSeconds > 0 ? (long) (linesProcessed / execSeconds) : 0);
    g.writeNumberField("totalBytesProcessed", bytesProcessed);
    g.writeNumberField("totalLinesProcessed", linesProcessed);
    g.writeNumberField("execTime", execSeconds);
    g.writeNumberField("queueTime", 0);
    g.writeNumberField("subqueries", 0);
    g.writeNumberField("totalEntriesReturned", entriesReturned);
    g.writeNumberField("splits", 0);
    g.writeNumberField("shards", 0);
    g.writeNumberField("totalPostFilterLines", linesProcessed);
    g.writeNumberField("totalStructuredMetadataBytesProcessed", 0);
    g.writeEndObject();
    g.writeObjectFieldStart("querier");
    writeStore(g);
    g.writeEndObject();
    g.writeObjectFieldStart("ingester");
    for (String k : new String[] {"totalReached", "totalChunksMatched", "totalBatches", "totalLinesSent"}) {
      g.writeNumberField(k, 0);
    }
    writeStore(g);
    g.writeEndObject();
    g.writeObjectFieldStart("cache");
    for (String cache : new String[] {"chunk", "index", "result", "statsResult", "volumeResult", "seriesResult",
        "labelResult", "instantMetricResult"}) {
      g.writeObjectFieldStart(cache);
      for (String k : new String[] {"entriesFound", "entriesRequested", "entriesStored", "bytesReceived", "bytesSent",
          "requests", "downloadTime", "queryLengthServed"}) {
        g.writeNumberField(k, 0);
      }
      g.writeEndObject();
    }
    g.writeEndObject();
    g.writeObjectFieldStart("index");
    g.writeNumberField("totalChunks", 0);
    g.writeNumberField("postFilterChunks", 0);
    g.writeNumberField("shardsDuration", 0);
    g.writeBooleanField("usedBloomFilters", false);
    g.writeEndObject();
    g.writeEndObject();
  }

  private void writeStore(JsonGenerator g) throws IOException {
    g.writeObjectFieldStart("store");
    g.writeNumberField("totalChunksRef", 0);
    g.writeNumberField("totalChunksDownloaded", 0);
    g.writeNumberField("chunksDownloadTime", 0);
    g.writeBooleanField("queryReferencedStructuredMetadata", false);
    g.writeObjectFieldStart("chunk");
    g.writeNumberField("headChunkBytes", 0);
    g.writeNumberField("headChunkLines", 0);
    g.writeNumberField("decompressedBytes", bytesProcessed);
    g.writeNumberField("decompressedLines", linesProcessed);
    g.writeNumberField("compressedBytes", 0);
    g.writeNumberField("totalDuplicates", 0);
    g.writeNumberField("postFilterLines", linesProcessed);
    g.writeNumberField("headChunkStructuredMetadataBytes", 0);
    g.writeNumberField("decompressedStructuredMetadataBytes", 0);
    g.writeEndObject();
    g.writeNumberField("chunkRefsFetchTime", 0);
    g.writeNumberField("congestionControlLatency", 0);
    g.writeNumberField("pipelineWrapperFilteredLines", 0);
    g.writeEndObject();
  }
}
