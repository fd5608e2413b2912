package io.lodge.ingester.validate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The substring rule of {@code detected_level} (LOKI-COMPAT 1.6 item 2, rule 5) in one pass over the
 * line, eight bytes at a time. Loki asks, in order, whether the line contains {@code info}/{@code INFO},
 * then any error word ({@code err:}, {@code ERR:}, {@code error}, {@code ERROR}), then warn, critical and
 * debug words; the answer depends only on which words occur, so one scan that remembers the best
 * (earliest-ranked) word seen so far gives the same answer as one {@code indexOf} per word, and can stop
 * at the first {@code info}. Plain substrings, as in Loki: no word boundaries.
 *
 * <p>Most of a line holds no level word, and a byte-by-byte scan pays a table load and an unpredictable
 * branch for every common letter ({@code e}, {@code i}, {@code d}, {@code c} are 15% of loghub bytes).
 * Instead every word is found through an <em>anchor</em>: two adjacent bytes it contains at offset 0, 1
 * or 2. A SWAR filter tests eight positions at once for "this byte and the next may form an anchor",
 * with two masked compares: {@link #FIRST_TEST} and {@link #SECOND_TEST}, each folding several anchor
 * pairs and both letter cases into one compare by forcing the bits in which they differ. Only flagged
 * positions (10% of loghub's 8-byte blocks have one) are checked exactly against the word table. The
 * filter may flag more than it should (forced bits, the cheap zero-byte test), never less: the static
 * initialiser checks that it flags every word. The same pass notes the first 8-byte block that holds a
 * '=' (four more operations per block until one does), which decides whether the logfmt key check runs at
 * all and where it starts. Stateless; no allocation.
 */
final class LevelWords {
  /** Ranks in Loki's order; {@link #UNKNOWN} when no word occurs. */
  static final int INFO = 0;
  static final int ERROR = 1;
  static final int WARN = 2;
  static final int CRITICAL = 3;
  static final int DEBUG = 4;
  static final int UNKNOWN = 5;
  private static final String[] NAMES = {"info", "error", "warn", "critical", "debug", "unknown"};

  /** Rank of the words starting with a byte; {@link #NONE} for bytes no word starts with. */
  private static final byte[] RANK = new byte[256];
  private static final byte NONE = Byte.MAX_VALUE;
  /** The words starting with each byte (null for bytes no word starts with). */
  private static final byte[][][] WORDS = new byte[256][][];
  /** The second byte shared by every word starting with a byte: rejects most candidates in one compare. */
  private static final byte[] SECOND = new byte[256];

  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH = 0x8080808080808080L;
  private static final long EQUALS = ONES * '=';

  /**
   * Anchors at offset 2: {@code fo} of info, {@code bu} of debug. 'f'/'b' differ in bit 0x04 and 'o'/'u'
   * in 0x1A, so the test also passes {@code be}, {@code fe}, ... (1.3% of loghub positions for both
   * tests together, against 0.6% for one exact test per word at four times the cost).
   */
  private static final String[] FIRST_TEST = {"fo", "bu"};
  /** Anchors at offset 0 and 1: {@code cr} of critical, {@code rr} of err/error, {@code ar} of warn. */
  private static final String[] SECOND_TEST = {"cr", "rr", "ar"};
  /** A flag at position p means a word may start at p-2, p-1 or p. */
  private static final int MAX_ANCHOR_OFFSET = 2;

  private static final long FIRST_FORCE_A = ONES * force(FIRST_TEST, 0);
  private static final long FIRST_WANT_A = ONES * want(FIRST_TEST, 0);
  private static final long FIRST_FORCE_B = ONES * force(FIRST_TEST, 1);
  private static final long FIRST_WANT_B = ONES * want(FIRST_TEST, 1);
  private static final long SECOND_FORCE_A = ONES * force(SECOND_TEST, 0);
  private static final long SECOND_WANT_A = ONES * want(SECOND_TEST, 0);
  private static final long SECOND_FORCE_B = ONES * force(SECOND_TEST, 1);
  private static final long SECOND_WANT_B = ONES * want(SECOND_TEST, 1);

  static {
    java.util.Arrays.fill(RANK, NONE);
    add(INFO, "info", "INFO");
    add(ERROR, "err:", "ERR:", "error", "ERROR");
    add(WARN, "warn:", "WARN:", "warning", "WARNING");
    add(CRITICAL, "CRITICAL:", "critical:");
    add(DEBUG, "debug:", "DEBUG:");
  }

  private LevelWords() {}

  private static void add(int rank, String... words) {
    for (String w : words) {
      int first = w.charAt(0);
      // every word starting with a given byte has the same rank, so one rank per byte suffices
      if (RANK[first] != NONE && RANK[first] != rank) throw new AssertionError("mixed ranks for " + w);
      if (SECOND[first] != 0 && SECOND[first] != w.charAt(1)) throw new AssertionError("mixed second bytes for " + w);
      if (!flagged(w)) throw new AssertionError("the anchor filter misses " + w);
      SECOND[first] = (byte) w.charAt(1);
      RANK[first] = (byte) rank;
      byte[][] old = WORDS[first] == null ? new byte[0][] : WORDS[first];
      byte[][] grown = java.util.Arrays.copyOf(old, old.length + 1);
      grown[old.length] = w.getBytes(StandardCharsets.US_ASCII);
      WORDS[first] = grown;
    }
  }

  /**
   * The bits forced on in byte {@code k} of a test: the ASCII case bit 0x20, and every bit in which the
   * pairs' bytes differ, so that all of them (in either case) become the same {@link #want} byte.
   */
  private static int force(String[] pairs, int k) {
    int bits = 0x20;
    for (String p : pairs) bits |= p.charAt(k) ^ pairs[0].charAt(k);
    return bits;
  }

  private static int want(String[] pairs, int k) {
    return pairs[0].charAt(k) | force(pairs, k);
  }

  /**
   * Whether the filter flags {@code word} placed at the start of a block: a flag at byte 0, 1 or 2 is
   * needed (a flag at p has {@link #scan} check starts p-2..p). The filter works alike in every byte.
   */
  private static boolean flagged(String word) {
    byte[] block = new byte[16];
    java.util.Arrays.fill(block, (byte) ' ');
    byte[] w = word.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(w, 0, block, 0, Math.min(w.length, 9));
    return (anchors(block, 0) & 0x808080L) != 0;
  }

  /** The level name of a rank. */
  static String name(int rank) {
    return NAMES[rank];
  }

  /** The best rank of a level word in {@code line}, or {@link #UNKNOWN}. */
  static int rank(byte[] line) {
    return rank(scan(line, false));
  }

  /** The rank part of a {@link #scan} result. */
  static int rank(long scan) {
    return (int) scan & 7;
  }

  /**
   * The '=' part of a {@link #scan} result: an index at or before the first '=' of the line (the start of
   * the 8-byte block it is in, or a block before), or -1 when the line has none.
   */
  static int equalsFrom(long scan) {
    return (int) (scan >> 32);
  }

  /**
   * One pass for both things a plain line needs: the best rank of a level word, and where the first '='
   * may be (the logfmt key check needs one). Packed as {@code rank | equalsFrom << 32}, so the hot path
   * allocates nothing and keeps no state; read it with {@link #rank(long)} and {@link #equalsFrom(long)}.
   */
  static long scan(byte[] line) {
    return scan(line, true);
  }

  /** {@link #scan(byte[])}; {@code wantEquals} false skips the '=' search left after an early info. */
  private static long scan(byte[] line, boolean wantEquals) {
    int n = line.length;
    if (n < 9) return scanBytewise(line);
    int best = UNKNOWN;
    // where the first block with a '=' flag starts: the logfmt key check then starts there, not at 0
    // (most benchmark lines end with " req=<hex>": the check used to scan them twice)
    int equalsAt = -1;
    // The block at i tests the pairs starting at i..i+7 (reading bytes i..i+8) for anchors and the bytes
    // i..i+7 for '='. The last block is moved back to end at the last byte, overlapping the one before (a
    // start checked twice is harmless), so every pair is tested without a byte-wise tail; the last byte
    // is only ever the second of a pair, and is checked for '=' on its own.
    int last = n - 9;
    int i = 0;
    for (; i < last; i += 8) {
      if (equalsAt < 0 && equalsFlags(line, i) != 0) equalsAt = i;
      long m = anchors(line, i);
      if (m != 0 && (best = checkFlagged(line, i, m, best)) == INFO) return afterInfo(line, i, equalsAt, wantEquals);
    }
    if (equalsAt < 0 && equalsFlags(line, last) != 0) equalsAt = last;
    long m = anchors(line, last);
    if (m != 0 && (best = checkFlagged(line, last, m, best)) == INFO) return afterInfo(line, last, equalsAt, wantEquals);
    if (equalsAt < 0 && line[n - 1] == '=') equalsAt = n - 1;
    return pack(best, equalsAt);
  }

  /** Nothing outranks info: only the '=' question is still open after the block at {@code i}. */
  private static long afterInfo(byte[] line, int i, int equalsAt, boolean wantEquals) {
    if (!wantEquals) return pack(INFO, -1);
    return pack(INFO, equalsAt >= 0 ? equalsAt : firstEqualsBlock(line, i + 8));
  }

  private static long pack(int rank, int equalsFrom) {
    return rank | (long) equalsFrom << 32;
  }

  /**
   * High bit of byte k set when byte i+k is '='. The zero-byte test {@code (v - 0x01..) & ~v & 0x80..}
   * flags every zero byte of v; a byte just above a zero byte may be flagged too (borrow), so "no flag"
   * is exact and a flag may need a check.
   */
  private static long equalsFlags(byte[] line, int i) {
    long v = (long) LONG.get(line, i) ^ EQUALS;
    return (v - ONES) & ~v & HIGH;
  }

  /**
   * High bit of byte k set when bytes i+k and i+k+1 may form an anchor: per test, the forced bits are
   * OR-ed in and the wanted bytes XOR-ed out of both bytes, and the OR of the two is zero only there.
   */
  private static long anchors(byte[] line, int i) {
    long a = (long) LONG.get(line, i);
    long b = (long) LONG.get(line, i + 1);
    long t1 = ((a | FIRST_FORCE_A) ^ FIRST_WANT_A) | ((b | FIRST_FORCE_B) ^ FIRST_WANT_B);
    long t2 = ((a | SECOND_FORCE_A) ^ SECOND_WANT_A) | ((b | SECOND_FORCE_B) ^ SECOND_WANT_B);
    return ((t1 - ONES) & ~t1 | (t2 - ONES) & ~t2) & HIGH;
  }

  /** {@code best} after checking the starts each flag of block {@code i} may stand for. */
  private static int checkFlagged(byte[] line, int i, long flags, int best) {
    for (long m = flags; m != 0; m &= m - 1) {
      int p = i + (Long.numberOfTrailingZeros(m) >>> 3);
      for (int s = Math.max(0, p - MAX_ANCHOR_OFFSET); s <= p; s++) {
        int r = RANK[line[s] & 0xFF];
        if (r < best && startsWithAny(line, s)) {
          best = r;
          if (best == INFO) return INFO;
        }
      }
    }
    return best;
  }

  /** Start of the first 8-byte block at or after {@code from} that may hold a '=', or -1. */
  private static int firstEqualsBlock(byte[] line, int from) {
    int n = line.length;
    int i = from;
    for (; i + 8 <= n; i += 8) {
      if (equalsFlags(line, i) != 0) return i;
    }
    for (; i < n; i++) {
      if (line[i] == '=') return i;
    }
    return -1;
  }

  /** {@link #scan} for lines too short for one block. */
  private static long scanBytewise(byte[] line) {
    int best = UNKNOWN;
    for (int i = 0, n = line.length; i < n && best > INFO; i++) {
      int r = RANK[line[i] & 0xFF];
      if (r < best && startsWithAny(line, i)) best = r;
    }
    return pack(best, firstEqualsBlock(line, 0));
  }

  /** Whether a word starting with {@code line[at]} (which has a rank) starts at {@code at}. */
  private static boolean startsWithAny(byte[] line, int at) {
    int first = line[at] & 0xFF;
    if (at + 1 >= line.length || line[at + 1] != SECOND[first]) return false;
    outer:
    for (byte[] w : WORDS[first]) {
      if (at + w.length > line.length) continue;
      for (int k = 2; k < w.length; k++) if (line[at + k] != w[k]) continue outer;
      return true;
    }
    return false;
  }
}
