package io.lodge.ingester.index;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.util.BytesRef;

/**
 * The Lucene document of one flushed chunk ({@link ChunkRef}), and the field names {@link LabelIndex}
 * queries. One document per chunk:
 *
 * <pre>
 * field          kind                               content
 * tenant         StringField                        the tenant id (every query filters on it)
 * l.&lt;name&gt;       StringField, one per stream label   the label's value (empty values are not indexed:
 *                                                   absent and "" are the same to a matcher)
 * names          StringField, multi-valued          the names of the indexed labels (absent-label
 *                                                   logic and label-names queries)
 * labels         StoredField                        the canonical label string, for people and tools
 * stream         BinaryDocValues                    the label set, encoded below, rebuilt for results
 * from, through  LongPoint + NumericDocValues       the chunk's time bounds, inclusive Unix ns
 * key            StringField, stored, BinaryDocValues   the chunk's key, its unique name (update and
 *                                                   delete by the term; read back from doc values)
 * entries, raw, compressed  NumericDocValues        counts for index stats
 * object         SortedDocValues                    the object holding the chunk (a pack: many chunks
 *                                                   share it, so sorted values store it once)
 * offset         NumericDocValues                   where the chunk starts in that object
 * </pre>
 *
 * <p>Documents written before packs have neither {@code object} nor {@code offset}: their chunk is the
 * whole object under its key.
 *
 * <p>The {@code stream} encoding is, per label in name order: varint name length, name UTF-8, varint
 * value length, value UTF-8. It keeps every label (even an empty value) so the set round-trips exactly.
 * User labels live under the {@code l.} prefix so no label name can collide with an internal field.
 */
final class ChunkDocument {
  static final String TENANT = "tenant";
  static final String NAMES = "names";
  static final String LABEL_PREFIX = "l.";
  static final String LABELS = "labels";
  static final String STREAM = "stream";
  static final String FROM = "from";
  static final String THROUGH = "through";
  static final String KEY = "key";
  static final String ENTRIES = "entries";
  static final String RAW = "raw";
  static final String COMPRESSED = "compressed";
  static final String OBJECT = "object";
  static final String OFFSET = "offset";

  private ChunkDocument() {}

  /** The field holding the values of label {@code name}. */
  static String labelField(String name) {
    return LABEL_PREFIX + name;
  }

  /** Builds the document of one chunk; rejects refs that would make a broken document. */
  static Document of(ChunkRef ref) {
    if (ref.tenant() == null || ref.tenant().isEmpty()) {
      throw new IllegalArgumentException("chunk " + ref.key() + ": tenant must not be empty");
    }
    if (ref.key() == null || ref.key().isEmpty()) {
      throw new IllegalArgumentException("chunk of " + ref.labels() + ": key must not be empty");
    }
    if (ref.object() == null || ref.object().isEmpty() || ref.offset() < 0) {
      throw new IllegalArgumentException("chunk " + ref.key() + ": needs an object and an offset >= 0, got "
          + ref.object() + " at " + ref.offset());
    }
    if (ref.fromNanos() > ref.throughNanos()) {
      throw new IllegalArgumentException("chunk " + ref.key() + ": from " + ref.fromNanos()
          + " is after through " + ref.throughNanos());
    }
    Document d = new Document();
    d.add(new StringField(TENANT, ref.tenant(), Field.Store.NO));
    for (Label l : ref.labels().labels()) {
      if (l.value().isEmpty()) continue;
      // Lucene refuses longer terms mid-batch; refuse them here, before anything is written.
      if (l.value().length() * 3L > IndexWriter.MAX_TERM_LENGTH
          && l.value().getBytes(StandardCharsets.UTF_8).length > IndexWriter.MAX_TERM_LENGTH) {
        throw new IllegalArgumentException("chunk " + ref.key() + ": value of label " + l.name()
            + " is longer than " + IndexWriter.MAX_TERM_LENGTH + " UTF-8 bytes");
      }
      d.add(new StringField(labelField(l.name()), l.value(), Field.Store.NO));
      d.add(new StringField(NAMES, l.name(), Field.Store.NO));
    }
    d.add(new StoredField(LABELS, ref.labels().canonical()));
    d.add(new BinaryDocValuesField(STREAM, encode(ref.labels())));
    d.add(new LongPoint(FROM, ref.fromNanos()));
    d.add(new NumericDocValuesField(FROM, ref.fromNanos()));
    d.add(new LongPoint(THROUGH, ref.throughNanos()));
    d.add(new NumericDocValuesField(THROUGH, ref.throughNanos()));
    d.add(new StringField(KEY, ref.key(), Field.Store.YES));
    d.add(new BinaryDocValuesField(KEY, new BytesRef(ref.key())));
    d.add(new NumericDocValuesField(ENTRIES, ref.entries()));
    d.add(new NumericDocValuesField(RAW, ref.rawBytes()));
    d.add(new NumericDocValuesField(COMPRESSED, ref.compressedBytes()));
    d.add(new SortedDocValuesField(OBJECT, new BytesRef(ref.object())));
    d.add(new NumericDocValuesField(OFFSET, ref.offset()));
    return d;
  }

  /** Encodes a label set for the {@code stream} doc values. */
  static BytesRef encode(LabelSet labels) {
    byte[] buf = new byte[64];
    int n = 0;
    for (Label l : labels.labels()) {
      for (String s : new String[] {l.name(), l.value()}) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (buf.length < n + 5 + b.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, n + 5 + b.length));
        int len = b.length;
        while ((len & ~0x7F) != 0) {
          buf[n++] = (byte) ((len & 0x7F) | 0x80);
          len >>>= 7;
        }
        buf[n++] = (byte) len;
        System.arraycopy(b, 0, buf, n, b.length);
        n += b.length;
      }
    }
    return new BytesRef(buf, 0, n);
  }

  /** Decodes what {@link #encode} wrote; a malformed value is index corruption. */
  static LabelSet decode(BytesRef ref) {
    List<Label> labels = new ArrayList<>();
    int[] pos = {ref.offset};
    int end = ref.offset + ref.length;
    while (pos[0] < end) {
      String name = readString(ref.bytes, pos, end);
      String value = readString(ref.bytes, pos, end);
      labels.add(new Label(name, value));
    }
    return LabelSet.of(labels);
  }

  private static String readString(byte[] b, int[] pos, int end) {
    int len = 0;
    for (int shift = 0; ; shift += 7) {
      if (pos[0] >= end || shift > 28) {
        throw new IllegalStateException("corrupt stream labels in label index at byte " + pos[0]);
      }
      byte x = b[pos[0]++];
      len |= (x & 0x7F) << shift;
      if (x >= 0) break;
    }
    if (len < 0 || pos[0] + len > end) {
      throw new IllegalStateException("corrupt stream labels in label index: length " + len + " at byte " + pos[0]);
    }
    String s = new String(b, pos[0], len, StandardCharsets.UTF_8);
    pos[0] += len;
    return s;
  }
}
