package io.lodge.ingester.validate;

import java.nio.charset.StandardCharsets;

/**
 * The substring rule of {@code detected_level} (LOKI-COMPAT 1.6 item 2, rule 5) in one pass over the
 * line. Loki asks, in order, whether the line contains {@code info}/{@code INFO}, then any error word
 * ({@code err:}, {@code ERR:}, {@code error}, {@code ERROR}), then warn, critical and debug words; the
 * answer depends only on which words occur, so one scan that remembers the best (earliest-ranked) word
 * seen so far gives the same answer as one {@code indexOf} per word, and can stop at the first
 * {@code info}. A 256-entry table gives each byte the rank of the words starting with it, so most bytes
 * cost one load and one compare ({@code rank >= best}: no word of a better rank starts here). The same
 * pass notes whether the line holds a {@code '='}, which decides whether the logfmt scan is worth running.
 * Stateless apart from the last scan's '=' flag; not thread-safe, no allocation per line.
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

  /** Rank of the words starting with a byte; {@link #EQUALS} for '='; {@link #NONE} otherwise. */
  private static final byte[] RANK = new byte[256];
  private static final byte NONE = Byte.MAX_VALUE;
  /** Below every rank, so '=' always takes the slow path once, which records it. */
  private static final byte EQUALS = -1;
  /** The words starting with each byte (null for bytes no word starts with). */
  private static final byte[][][] WORDS = new byte[256][][];
  /**
   * The second byte shared by every word starting with a byte: common letters such as 'e' and 'i' start
   * no word most of the time, and one more compare rejects them before the per-word loop.
   */
  private static final byte[] SECOND = new byte[256];

  static {
    java.util.Arrays.fill(RANK, NONE);
    RANK['='] = EQUALS;
    add(INFO, "info", "INFO");
    add(ERROR, "err:", "ERR:", "error", "ERROR");
    add(WARN, "warn:", "WARN:", "warning", "WARNING");
    add(CRITICAL, "CRITICAL:", "critical:");
    add(DEBUG, "debug:", "DEBUG:");
  }

  private static void add(int rank, String... words) {
    for (String w : words) {
      int first = w.charAt(0);
      // every word starting with a given byte has the same rank, so one rank per byte suffices
      if (RANK[first] != NONE && RANK[first] != rank) throw new AssertionError("mixed ranks for " + w);
      if (SECOND[first] != 0 && SECOND[first] != w.charAt(1)) throw new AssertionError("mixed second bytes for " + w);
      SECOND[first] = (byte) w.charAt(1);
      RANK[first] = (byte) rank;
      byte[][] old = WORDS[first] == null ? new byte[0][] : WORDS[first];
      byte[][] grown = java.util.Arrays.copyOf(old, old.length + 1);
      grown[old.length] = w.getBytes(StandardCharsets.US_ASCII);
      WORDS[first] = grown;
    }
  }

  private boolean sawEquals;

  /** Whether the last {@link #scan} saw a '=' anywhere in the line. */
  boolean sawEquals() {
    return sawEquals;
  }

  /** The level name of a rank. */
  static String name(int rank) {
    return NAMES[rank];
  }

  /** The best rank of a level word in {@code line}, or {@link #UNKNOWN}; also records {@link #sawEquals()}. */
  int scan(byte[] line) {
    int best = UNKNOWN;
    boolean eq = false;
    int n = line.length;
    int i = 0;
    for (; i < n; i++) {
      int r = RANK[line[i] & 0xFF];
      if (r >= best) continue;
      if (r == EQUALS) {
        eq = true;
        continue;
      }
      if (startsWithAny(line, i)) {
        best = r;
        if (best == INFO) break;
      }
    }
    if (!eq && best == INFO) {
      for (i++; i < n; i++) { // only the '=' flag is still open
        if (line[i] == '=') {
          eq = true;
          break;
        }
      }
    }
    sawEquals = eq;
    return best;
  }

  /** The best rank of a level word in {@code line}, or {@link #UNKNOWN} (no '=' bookkeeping). */
  static int rank(byte[] line) {
    int best = UNKNOWN;
    for (int i = 0, n = line.length; i < n; i++) {
      int r = RANK[line[i] & 0xFF];
      if (r >= best || r == EQUALS) continue;
      if (startsWithAny(line, i)) {
        best = r;
        if (best == INFO) break;
      }
    }
    return best;
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
