package io.lodge.ingester.flush;

import io.lodge.ingester.chunk.BlockIndexEntry;
import io.lodge.ingester.chunk.ChunkFormatException;
import io.lodge.ingester.chunk.ChunkKeys;
import io.lodge.ingester.chunk.ChunkPack;
import io.lodge.ingester.chunk.ChunkReader;
import io.lodge.ingester.chunk.ChunkWriter;
import io.lodge.ingester.chunk.EncodedBlock;
import io.lodge.ingester.chunk.LineDictionary;
import io.lodge.ingester.chunk.LineDictionaryPolicy;
import io.lodge.ingester.chunk.LineRecompressor;
import io.lodge.ingester.head.SealedBlock;
import io.lodge.ingester.index.ChunkRef;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.UnixNanos;
import io.lodge.ingester.store.ObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chunks in an {@link ObjectStore}, in the chunk format of {@link ChunkWriter}, each write's chunks together
 * in one {@link ChunkPack}; reads fetch one chunk's range of its pack. Blocks sealed
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
  public List<ChunkRef> write(String tenant, List<PendingChunk> chunks) {
    List<byte[]> parts = new ArrayList<>(chunks.size() + 1);
    List<Built> built = new ArrayList<>(chunks.size());
    for (PendingChunk c : chunks) {
      List<SealedBlock> sorted = new ArrayList<>(c.blocks());
      sorted.sort(Comparator.comparingLong(SealedBlock::minTs)); // out-of-order writes can seal blocks out of order
      List<EncodedBlock> encoded = new ArrayList<>(sorted.size());
      LineDictionary dict = dictionaries.choose(tenant, c.labels());
      long from = Long.MAX_VALUE, through = Long.MIN_VALUE, entries = 0, raw = 0;
      for (SealedBlock b : sorted) {
        EncodedBlock e = EncodedBlock.parse(b.bytes(), "head block of " + c.labels());
        encoded.add(dict == null ? e : withDictionary(e, dict, c.labels()));
        from = Math.min(from, b.minTs());
        through = Math.max(through, b.maxTs());
        entries += b.count();
        raw += b.rawBytes();
      }
      byte[] chunk = ChunkWriter.write(tenant, c.labels(), encoded);
      parts.add(chunk);
      String key = ChunkKeys.key(tenant, c.labels().hash(), from, through, ChunkWriter.checksum(chunk));
      built.add(new Built(c.labels(), from, through, key, entries, raw, chunk.length));
    }
    byte[] footer = ChunkPack.footer(parts);
    String object = ChunkPack.key(tenant, UnixNanos.now(), ChunkPack.checksum(footer));
    parts.add(footer);
    try {
      objects.put(object, parts);
    } catch (IOException e) {
      UncheckedIOException failed = new UncheckedIOException("cannot write chunk pack " + object + " (" + chunks.size()
          + " chunks): " + e.getMessage(), e);
      try {
        objects.delete(object); // a put can fail after its rename (the directory fsync): nothing will name it
      } catch (IOException | RuntimeException d) {
        failed.addSuppressed(d);
      }
      throw failed;
    }
    List<ChunkRef> refs = new ArrayList<>(built.size());
    long offset = 0;
    for (Built b : built) {
      refs.add(new ChunkRef(tenant, b.labels, b.from, b.through, b.key, b.entries, b.raw, b.length, object, offset));
      offset += b.length;
    }
    return refs;
  }

  /** A chunk built for a pack, before the pack's name is known. */
  private record Built(LabelSet labels, long from, long through, String key, long entries, long raw, int length) {}

  /** Tries every object; the first failure is thrown with the others suppressed. */
  @Override
  public void discard(List<ChunkRef> refs) {
    Set<String> gone = new LinkedHashSet<>();
    for (ChunkRef r : refs) gone.add(r.object());
    UncheckedIOException failure = null;
    for (String object : gone) {
      try {
        objects.delete(object);
      } catch (IOException e) {
        UncheckedIOException f = new UncheckedIOException("cannot delete unindexed chunk object " + object + ": "
            + e.getMessage(), e);
        if (failure == null) failure = f;
        else failure.addSuppressed(f);
      }
    }
    if (failure != null) throw failure;
  }

  @Override
  public List<String> listPacks(long sinceNanos, Predicate<String> select) {
    String firstDay = ChunkPack.day(sinceNanos);
    List<String> out = new ArrayList<>();
    try {
      for (String tenant : objects.children("")) {
        String packs = ChunkPack.packsPrefix(tenant);
        for (String day : objects.children(packs)) {
          if (day.compareTo(firstDay) < 0) continue;
          for (String name : objects.children(packs + day + '/')) { // names only: no stat per pack
            String key = packs + day + '/' + name;
            long written = ChunkPack.writtenNanos(key); // -1: not a pack
            if (written >= 0 && written >= sinceNanos && select.test(key)) out.add(key);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the chunk packs written since " + Instant.ofEpochSecond(0, sinceNanos)
          + ": " + e.getMessage(), e);
    }
    return out;
  }

  @Override
  public void deletePack(String key) {
    if (ChunkPack.writtenNanos(key) < 0) throw new IllegalArgumentException("not a chunk pack: " + key);
    try {
      objects.delete(key);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete chunk pack " + key + ": " + e.getMessage(), e);
    }
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
      bytes = objects.get(ref.object(), ref.offset(), Math.toIntExact(ref.compressedBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read chunk " + ref.key() + " from " + ref.object() + " at " + ref.offset()
          + ": " + e.getMessage(), e);
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
