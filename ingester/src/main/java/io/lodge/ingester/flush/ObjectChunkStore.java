package io.lodge.ingester.flush;

import io.lodge.ingester.chunk.BlockIndexEntry;
import io.lodge.ingester.chunk.ChunkFormatException;
import io.lodge.ingester.chunk.ChunkKeys;
import io.lodge.ingester.chunk.ChunkReader;
import io.lodge.ingester.chunk.ChunkWriter;
import io.lodge.ingester.chunk.EncodedBlock;
import io.lodge.ingester.chunk.LineDictionary;
import io.lodge.ingester.chunk.LineDictionaryPolicy;
import io.lodge.ingester.chunk.LineRecompressor;
import io.lodge.ingester.head.SealedBlock;
import io.lodge.ingester.index.ChunkRef;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.store.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chunks as objects in an {@link ObjectStore}, in the chunk format of {@link ChunkWriter}. Blocks sealed
 * before their stream's line dictionary existed (a service's first blocks) get their lines column
 * recompressed with it on the way out, so that a chunk's size does not depend on when training finished.
 */
public final class ObjectChunkStore implements ChunkStore {
  private static final Logger log = LoggerFactory.getLogger(ObjectChunkStore.class);

  private final ObjectStore objects;
  private final LineDictionaryPolicy dictionaries;
  private final LineRecompressor recompressor;
  /**
   * Recompressions running at once: a chunk writer per chunk (up to {@code concurrent_flushes}) would
   * otherwise turn the first flush after a dictionary appears into a burst of CPU that starves the push
   * path; half the cores keep the other half for ingest.
   */
  private final Semaphore recompressing = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));

  /** A store that writes blocks as they come (no dictionaries). */
  public ObjectChunkStore(ObjectStore objects) {
    this(objects, LineDictionaryPolicy.NONE, 3);
  }

  /** @param zstdLevel the level recompressed lines are written at (the head's) */
  public ObjectChunkStore(ObjectStore objects, LineDictionaryPolicy dictionaries, int zstdLevel) {
    this(objects, dictionaries, zstdLevel, 0);
  }

  /** @param blockBytes the head's block size ({@code chunk_block_size}), which dictionaries make room for */
  public ObjectChunkStore(ObjectStore objects, LineDictionaryPolicy dictionaries, int zstdLevel, int blockBytes) {
    this.objects = objects;
    this.dictionaries = dictionaries;
    this.recompressor = new LineRecompressor(zstdLevel, blockBytes);
  }

  @Override
  public ChunkRef write(String tenant, LabelSet labels, List<SealedBlock> blocks) {
    List<SealedBlock> sorted = new ArrayList<>(blocks);
    sorted.sort(Comparator.comparingLong(SealedBlock::minTs)); // out-of-order writes can seal blocks out of order
    List<EncodedBlock> encoded = new ArrayList<>(sorted.size());
    LineDictionary dict = dictionaries.choose(tenant, labels);
    long from = Long.MAX_VALUE, through = Long.MIN_VALUE, entries = 0, raw = 0;
    for (SealedBlock b : sorted) {
      EncodedBlock e = EncodedBlock.parse(b.bytes(), "head block of " + labels);
      encoded.add(dict == null ? e : withDictionary(e, dict, labels));
      from = Math.min(from, b.minTs());
      through = Math.max(through, b.maxTs());
      entries += b.count();
      raw += b.rawBytes();
    }
    byte[] chunk = ChunkWriter.write(tenant, labels, encoded);
    String key = ChunkKeys.key(tenant, labels.hash(), from, through, ChunkWriter.checksum(chunk));
    try {
      objects.put(key, chunk);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write chunk " + key + ": " + e.getMessage(), e);
    }
    return new ChunkRef(tenant, labels, from, through, key, entries, raw, chunk.length);
  }

  private EncodedBlock withDictionary(EncodedBlock e, LineDictionary dict, LabelSet labels) {
    if (e.header().lines().usesDictionary()) return e; // sealed with one already
    recompressing.acquireUninterruptibly();
    try {
      return recompressor.recompress(e, dict);
    } catch (ChunkFormatException bad) {
      // never expected (our own blocks); the block as sealed is still a valid block to write
      log.atWarn().addKeyValue("stream", labels).addKeyValue("err", bad.getMessage())
          .log("recompressing a block with its line dictionary failed; writing it as sealed");
      return e;
    } finally {
      recompressing.release();
    }
  }

  @Override
  public List<SealedBlock> read(ChunkRef ref, long fromNanos, long toNanos) {
    byte[] bytes;
    try {
      bytes = objects.get(ref.key());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read chunk " + ref.key() + ": " + e.getMessage(), e);
    }
    ChunkReader reader = ChunkReader.open(bytes, ref.key());
    List<BlockIndexEntry> index = reader.blocks();
    List<SealedBlock> out = new ArrayList<>();
    for (int i : reader.blocksOverlapping(fromNanos, toNanos)) {
      BlockIndexEntry e = index.get(i);
      byte[] block = Arrays.copyOfRange(bytes, (int) e.offset(), (int) e.offset() + e.length());
      out.add(new SealedBlock(e.minTimestamp(), e.maxTimestamp(), e.entries(), e.rawBytes(), block));
    }
    return out;
  }
}
