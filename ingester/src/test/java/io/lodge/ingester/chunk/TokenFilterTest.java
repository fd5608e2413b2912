package io.lodge.ingester.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.model.Hash64;
import io.lodge.ingester.model.LogEntry;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class TokenFilterTest {
  @Provide
  Arbitrary<List<LogEntry>> entries() {
    return EntryArbitraries.entries(40);
  }

  private static BlockReader blockOf(List<LogEntry> entries) {
    BlockBuilder b = new BlockBuilder();
    entries.forEach(b::append);
    return b.encode().reader();
  }

  /** The oracle tokenizer: split the UTF-8 text on ASCII characters that are not letters or digits. */
  private static List<String> oracleTokens(String line) {
    return java.util.Arrays.stream(line.split("[\\x00-\\x2F\\x3A-\\x40\\x5B-\\x60\\x7B-\\x7F]+"))
        .filter(s -> !s.isEmpty()).toList();
  }

  @Property(tries = 200)
  void noFalseNegativesForTokensAndSubstrings(@ForAll("entries") List<LogEntry> entries, @ForAll long seed) {
    BlockReader r = blockOf(entries);
    Random rnd = new Random(seed);
    for (LogEntry e : entries) {
      String line = e.lineString();
      for (String t : oracleTokens(line)) {
        byte[] tb = t.getBytes(StandardCharsets.UTF_8);
        assertThat(r.mightContainToken(tb)).as("token %s", t).isTrue();
        byte[] upper = tb.clone();
        asciiUpper(upper);
        assertThat(r.header().filter().mightContainTokenIgnoreCase(upper)).as("upper-cased token %s", t).isTrue();
        byte[] spaced = (" " + new String(upper, StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8);
        assertThat(r.mightContainLiteralIgnoreCase(spaced)).as("upper-cased literal %s", t).isTrue();
      }
      byte[] lb = e.line();
      for (int k = 0; k < 5 && lb.length > 0; k++) {
        int s = rnd.nextInt(lb.length), end = s + rnd.nextInt(lb.length - s + 1);
        byte[] sub = java.util.Arrays.copyOfRange(lb, s, end);
        assertThat(r.mightContainLiteral(sub)).as("substring [%d, %d) of %s", s, end, line).isTrue();
        asciiUpper(sub);
        assertThat(r.mightContainLiteralIgnoreCase(sub)).as("upper-cased substring of %s", line).isTrue();
      }
    }
  }

  private static void asciiUpper(byte[] b) {
    for (int i = 0; i < b.length; i++) if (b[i] >= 'a' && b[i] <= 'z') b[i] -= 32;
  }

  /**
   * The writer's bits are exactly the format's: probe i of hash h
   * at unsigned((h + i * step) mod 2^64) mod bitCount, step = rotl(h, 32) | 1, computed here the plain way.
   */
  @Property(tries = 300)
  void bitsAreExactlyWhereTheFormatPutsThem(@ForAll long seed) {
    Random r = new Random(seed);
    int n = 1 + r.nextInt(r.nextBoolean() ? 40 : 6000);
    TokenHashes set = new TokenHashes();
    Set<Long> hashes = new HashSet<>();
    for (int i = 0; i < n; i++) {
      long h = switch (r.nextInt(4)) {
        case 0 -> -1L - r.nextInt(1000); // near 2^64: the first step wraps
        case 1 -> r.nextInt(1000); // small
        default -> r.nextLong();
      };
      set.add(h);
      hashes.add(h);
    }
    ByteSink out = new ByteSink(64);
    TokenFilter.write(set, out);
    ByteSource src = new ByteSource(out.toByteArray(), 0, out.size(), 0, "test");
    assertThat(src.readVarInt("k", 0, 64)).isEqualTo(TokenFilter.HASH_COUNT);
    int words = src.readVarInt("words", 0, Integer.MAX_VALUE);
    long[] expected = new long[words];
    long bitCount = 64L * words;
    for (long h : hashes) {
      long step = Long.rotateLeft(h, 32) | 1L;
      for (int i = 0; i < TokenFilter.HASH_COUNT; i++) {
        long b = Long.remainderUnsigned(h + i * step, bitCount);
        expected[(int) (b >>> 6)] |= 1L << b;
      }
    }
    byte[] bytes = out.toByteArray();
    int at = out.size() - 8 * words;
    for (int w = 0; w < words; w++) {
      long actual = java.nio.ByteBuffer.wrap(bytes, at + 8 * w, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
      assertThat(actual).as("word %d of %d (%d hashes)", w, words, hashes.size()).isEqualTo(expected[w]);
    }
  }

  @Test
  void onlyTokensBoundedInsideTheLiteralCount() {
    assertThat(TokenFilter.literalHashes("rror 5".getBytes(), false)).isEmpty();
    assertThat(TokenFilter.literalHashes("error".getBytes(), false)).isEmpty();
    assertThat(TokenFilter.literalHashes("error 500 at".getBytes(), false))
        .containsExactly(Hash64.xxh64("500".getBytes()));
    assertThat(TokenFilter.literalHashes(" Error ".getBytes(), true))
        .containsExactly(Hash64.xxh64("error".getBytes()));
    assertThat(TokenFilter.literalHashes(" ÉCOLE ".getBytes(StandardCharsets.UTF_8), true)).isEmpty();
    assertThat(TokenFilter.literalHashes(" ÉCOLE ".getBytes(StandardCharsets.UTF_8), false))
        .containsExactly(Hash64.xxh64("École".getBytes(StandardCharsets.UTF_8)));
    assertThat(TokenFilter.literalHashes("a Error b".getBytes(), false)).containsExactly(Hash64.xxh64("error".getBytes()));
  }

  @Test
  void absentTokensAreRuledOut() {
    BlockReader r = blockOf(List.of(LogEntry.of(1, "GET /api/v1/push status=204 took 3ms"),
        LogEntry.of(2, "Connection reset by peer")));
    assertThat(r.mightContainLiteral(" status=204 ".getBytes())).isTrue();
    assertThat(r.mightContainLiteral(" status=500 ".getBytes())).isFalse();
    assertThat(r.mightContainLiteral("tatus=5".getBytes())).isTrue(); // no full token: cannot tell
    assertThat(r.mightContainToken("reset".getBytes())).isTrue();
    assertThat(r.mightContainToken("Reset".getBytes())).isTrue(); // tokens are stored case-folded
    assertThat(r.mightContainToken("Resets".getBytes())).isFalse();
    assertThat(r.header().filter().mightContainTokenIgnoreCase("RESET".getBytes())).isTrue();
    assertThat(r.header().filter().mightContainTokenIgnoreCase("connection".getBytes())).isTrue();
    assertThat(r.mightContainToken("conn".getBytes())).isFalse();
    assertThat(r.mightContainToken("a b".getBytes())).isTrue(); // not one token: cannot tell
  }

  @Test
  void aBlockOfEmptyLinesRulesOutEveryToken() {
    BlockReader r = blockOf(List.of(LogEntry.of(1, ""), LogEntry.of(2, " -- ")));
    assertThat(r.header().filter().sizeBytes()).isZero();
    assertThat(r.mightContainToken("x".getBytes())).isFalse();
    assertThat(r.mightContainLiteral("--".getBytes())).isTrue();
  }

  @Test
  void falsePositiveRateIsAboutOnePercent() {
    Random rnd = new Random(42);
    Set<String> present = new HashSet<>();
    BlockBuilder b = new BlockBuilder();
    for (int i = 0; i < 2000; i++) {
      StringBuilder line = new StringBuilder();
      for (int j = 0; j < 5; j++) {
        String t = "t" + Long.toHexString(rnd.nextLong());
        present.add(t);
        line.append(t).append(' ');
      }
      b.append(LogEntry.of(i, line.toString()));
    }
    BlockReader r = b.encode().reader();
    int probes = 50_000, hits = 0;
    for (int i = 0; i < probes; i++) {
      String t = "q" + Long.toHexString(rnd.nextLong());
      if (r.mightContainToken(t.getBytes())) hits++;
    }
    double rate = hits / (double) probes;
    System.out.printf("token filter: %d distinct tokens, %d bytes, false-positive rate %.3f%%%n",
        present.size(), r.header().filter().sizeBytes(), 100 * rate);
    assertThat(rate).isBetween(0.002, 0.02);
  }
}
