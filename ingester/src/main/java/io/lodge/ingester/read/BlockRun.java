package io.lodge.ingester.read;

import io.lodge.ingester.chunk.BlockReader;
import io.lodge.ingester.chunk.DecodedBlock;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import java.util.Arrays;
import java.util.List;

/**
 * The entries of one decoded block that a read keeps (in range, passing the pushed-down literals), in
 * compact columns: timestamps, the kept lines back to back with their offsets (no array per line; a line
 * is copied only when {@link #line()} is asked for it), and metadata only when the block has any.
 *
 * <p>When the read skipped the line column, {@code lines} starts null and only the lengths are kept; the
 * kept entries are then the block's entries {@code [blockStart, blockStart + count)}, and the lines are
 * decoded from {@code source} only if the merge must compare two lines (a possible duplicate).
 */
final class BlockRun extends EntrySource.Run {
  private static final byte[] EMPTY = new byte[0];

  private final long[] timestamps;
  private byte[] lines; // null while the line column was not read
  private final int[] offsets; // entry i's line is [offsets[i], offsets[i + 1]); lengths even without lines
  private final List<Label>[] metadata; // null when no kept entry has metadata
  private final BlockReader source; // for loading skipped lines; null when lines are present
  private final boolean linesSkipped; // line() answers empty even after the lines were loaded for a compare
  private final int blockStart;
  private int copiedPos = -1;
  private byte[] copied;

  BlockRun(LabelSet labels, int order, long[] timestamps, byte[] lines, int[] offsets, List<Label>[] metadata,
      int count, boolean forward, BlockReader source, int blockStart) {
    super(labels, order, 0, count, forward);
    this.timestamps = timestamps;
    this.lines = lines;
    this.offsets = offsets;
    this.metadata = metadata;
    this.source = source;
    this.blockStart = blockStart;
    this.linesSkipped = lines == null;
  }

  @Override
  long key() {
    return timestamps[pos];
  }

  @Override
  byte[] line() {
    if (linesSkipped) return EMPTY;
    // the caller may ask for the current line more than once: copy it once
    if (copiedPos != pos) {
      copied = Arrays.copyOfRange(lines, offsets[pos], offsets[pos + 1]);
      copiedPos = pos;
    }
    return copied;
  }

  @Override
  List<Label> metadata() {
    return metadata == null || metadata[pos] == null ? List.of() : metadata[pos];
  }

  @Override
  byte[] bufferAt(int i) {
    if (lines == null) {
      DecodedBlock d = source.readEntries(new DecodedBlock());
      int base = d.lineOffset(blockStart);
      lines = Arrays.copyOfRange(d.lineBytes(), base, base + offsets[offsets.length - 1]);
    }
    return lines;
  }

  @Override
  int offsetAt(int i) {
    return offsets[i];
  }

  @Override
  int lengthAt(int i) {
    return offsets[i + 1] - offsets[i];
  }
}
