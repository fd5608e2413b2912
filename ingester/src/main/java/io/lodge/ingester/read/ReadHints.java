package io.lodge.ingester.read;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a read may leave out because the query will never look at it. Hints only ever drop entries the
 * query would drop itself, so a reader that ignores them stays correct; callers keep applying their own
 * filters to what comes back.
 *
 * <ul>
 *   <li>{@code requiredLiterals}: byte strings (UTF-8, case-sensitive) that every wanted line contains,
 *       e.g. the query's leading {@code |= "error"} filters. The reader consults each block's token
 *       filter before decompressing it and skips lines that lack one of them.
 *   <li>{@code needLines = false}: the caller reads only timestamps, labels, metadata and
 *       {@link EntryIterator#lineLength()}; {@link EntryIterator#line()} may then return an empty array,
 *       and blocks are read without decompressing their line column ({@code count_over_time},
 *       {@code rate} without stages).
 *   <li>{@code needMetadata = false}: {@link EntryIterator#metadata()} may return an empty list.
 *   <li>{@code streamOrderOnly = true}: the caller needs time order only within each stream, not across
 *       streams. The reader may then return the streams one after the other, each in time order (merged
 *       and de-duplicated within the stream as always), instead of interleaving them; it drops nothing.
 *       A reader that ignores it (a full time-ordered merge) is still in stream order.
 * </ul>
 */
public record ReadHints(List<byte[]> requiredLiterals, boolean needLines, boolean needMetadata, boolean streamOrderOnly) {
  /** Everything, nothing skipped: what a plain select reads. */
  public static final ReadHints NONE = new ReadHints(List.of(), true, true, false);

  public ReadHints {
    List<byte[]> copy = new ArrayList<>(requiredLiterals.size());
    for (byte[] b : requiredLiterals) if (b.length > 0) copy.add(b.clone()); // "" is in every line
    requiredLiterals = List.copyOf(copy);
  }

  /** Hints in full time order (no {@code streamOrderOnly}). */
  public ReadHints(List<byte[]> requiredLiterals, boolean needLines, boolean needMetadata) {
    this(requiredLiterals, needLines, needMetadata, false);
  }

  /** Hints requiring every one of {@code literals} (UTF-8 of each string) in the lines. */
  public static ReadHints requiring(List<String> literals) {
    List<byte[]> out = new ArrayList<>(literals.size());
    for (String s : literals) out.add(s.getBytes(StandardCharsets.UTF_8));
    return new ReadHints(out, true, true);
  }

  /** These hints, with the line column skipped (see the class comment). */
  public ReadHints withoutLines() {
    return new ReadHints(requiredLiterals, false, needMetadata, streamOrderOnly);
  }

  /** These hints, with structured metadata skipped. */
  public ReadHints withoutMetadata() {
    return new ReadHints(requiredLiterals, needLines, false, streamOrderOnly);
  }

  /** These hints, with the streams allowed to come one after the other (see the class comment). */
  public ReadHints inStreamOrder() {
    return new ReadHints(requiredLiterals, needLines, needMetadata, true);
  }

  /**
   * True when the reader can skip anything: otherwise the entries read are the plain ones
   * ({@code streamOrderOnly} changes their order, not which they are).
   */
  public boolean skipsAnything() {
    return !requiredLiterals.isEmpty() || !needLines || !needMetadata;
  }

  @Override
  public String toString() {
    List<String> lits = new ArrayList<>();
    for (byte[] b : requiredLiterals) lits.add(new String(b, StandardCharsets.UTF_8));
    return "ReadHints[requiredLiterals=" + lits + ", needLines=" + needLines + ", needMetadata=" + needMetadata
        + ", streamOrderOnly=" + streamOrderOnly + "]";
  }
}
