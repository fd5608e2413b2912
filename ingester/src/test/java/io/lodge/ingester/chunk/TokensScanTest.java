package io.lodge.ingester.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.model.Hash64;
import io.lodge.ingester.testing.LoghubData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The 8-bytes-at-a-time scan of {@link Tokens} against a per-byte reference written from the definition
 * (docs/STORAGE.md "Token filter") and against {@link OldTokens}, the per-byte scan it replaced: the byte
 * classifier on every byte value in every lane, the masked word reads at line and array ends, and whole
 * lines built to hit the scan's edges (tokens of 7/8/9/15/16/17... bytes across word boundaries, lines
 * shorter than a word, separator-only and empty lines, bytes 0x7f/0x80/0xff, lines inside a larger
 * buffer padded with token bytes, so a scan reading past its line would grow a token).
 */
class TokensScanTest {
  /** The definition: ASCII letters and digits, and every byte >= 0x80. Written out, not shared with Tokens. */
  private static boolean refTokenByte(int c) {
    return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** The hashes of the tokens of {@code b[off, off+len)}, byte by byte, nothing cached. */
  private static Set<Long> refHashes(byte[] b, int off, int len, Set<Long> out) {
    int end = off + len;
    int i = off;
    while (i < end) {
      while (i < end && !refTokenByte(b[i] & 0xFF)) i++;
      int s = i;
      while (i < end && refTokenByte(b[i] & 0xFF)) i++;
      if (i > s) {
        byte[] t = Arrays.copyOfRange(b, s, i);
        for (int j = 0; j < t.length; j++) if (t[j] >= 'A' && t[j] <= 'Z') t[j] += 32;
        out.add(Hash64.xxh64(t));
      }
    }
    return out;
  }

  private static Set<Long> toSet(TokenHashes hashes) {
    Set<Long> out = new HashSet<>();
    for (int i = 0; i < hashes.size(); i++) out.add(hashes.get(i));
    return out;
  }

  private static final byte[] TOKEN_BYTES = {
      'a', 'A', 'z', 'Z', 'm', 'M', '0', '9', (byte) 0x80, (byte) 0xFF, (byte) 0xC3, (byte) 0xA9};
  /** Separators, with the bytes just outside each token range. */
  private static final byte[] SEPARATORS = {
      0x00, 0x01, '\t', ' ', '/', ':', '@', '[', '`', '{', 0x7F, '=', '.', '-', '_', '"'};

  /** Token lengths: short (they repeat, so the cache hits), around every word boundary, longer than a 64-byte chunk. */
  private static Arbitrary<Integer> tokenLengths() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.integers().between(1, 6)),
        Tuple.of(6, Arbitraries.of(7, 8, 9, 15, 16, 17, 23, 24, 25)),
        Tuple.of(1, Arbitraries.integers().between(1, 70)),
        Tuple.of(1, Arbitraries.integers().between(120, 200))); // whole 64-byte chunks of one token
  }

  private static Arbitrary<byte[]> run(Arbitrary<Integer> lengths, byte[] alphabet) {
    return lengths.flatMap(n -> Arbitraries.of(box(alphabet)).list().ofSize(n).map(TokensScanTest::unbox));
  }

  @Provide
  Arbitrary<byte[]> lines() {
    Arbitrary<byte[]> token = run(tokenLengths(), TOKEN_BYTES);
    Arbitrary<byte[]> seps = run(Arbitraries.integers().between(1, 10), SEPARATORS);
    Arbitrary<byte[]> shaped = Combinators.combine(
            token.list().ofMaxSize(10), seps.list().ofMinSize(11).ofMaxSize(11), Arbitraries.integers().between(0, 3))
        .as((tokens, sepRuns, edges) -> {
          ByteArrayOutputStream o = new ByteArrayOutputStream();
          if ((edges & 1) != 0) o.writeBytes(sepRuns.get(10));
          for (int i = 0; i < tokens.size(); i++) {
            if (i > 0) o.writeBytes(sepRuns.get(i));
            o.writeBytes(tokens.get(i));
          }
          if ((edges & 2) != 0) o.writeBytes(sepRuns.get(0));
          return o.toByteArray();
        });
    Arbitrary<byte[]> anyBytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
    Arbitrary<byte[]> separatorsOnly = run(Arbitraries.integers().between(0, 24), SEPARATORS);
    return Arbitraries.frequencyOf(
        Tuple.of(8, shaped), Tuple.of(1, anyBytes), Tuple.of(1, separatorsOnly));
  }

  /** {@code line} at offset {@code before} of a buffer with {@code after} more bytes, padded with token bytes or separators. */
  private static byte[] embed(byte[] line, int before, int after, boolean tokenPadding) {
    byte[] buf = new byte[before + line.length + after];
    Arrays.fill(buf, tokenPadding ? (byte) 'x' : (byte) ' ');
    System.arraycopy(line, 0, buf, before, line.length);
    return buf;
  }

  @Property(tries = 3000)
  void oneLineGivesTheReferenceTokens(@ForAll("lines") byte[] line, @ForAll @IntRange(min = 0, max = 17) int before,
      @ForAll @IntRange(min = 0, max = 17) int after, @ForAll boolean tokenPadding) {
    byte[] buf = embed(line, before, after, tokenPadding);
    Tokens tokens = new Tokens();
    TokenHashes got = new TokenHashes();
    tokens.startBlock();
    tokens.addLine(buf, before, line.length, got);
    assertThat(toSet(got)).isEqualTo(refHashes(buf, before, line.length, new HashSet<>()));
  }

  /**
   * Many lines back to back in one buffer, as a block holds them (the cache hits on repeated tokens, and
   * each line's word reads run into the next line's bytes), then a second block over the same buffer:
   * the same set as the reference and as {@link OldTokens}, and filters holding it sized alike.
   */
  @Property(tries = 400)
  void blocksGiveTheReferenceSetAndFiltersHoldingIt(
      @ForAll @Size(min = 1, max = 40) List<@From("lines") byte[]> lines, @ForAll @IntRange(min = 0, max = 9) int before,
      @ForAll @IntRange(min = 0, max = 9) int after, @ForAll boolean tokenPadding) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (byte[] l : lines) o.writeBytes(l);
    byte[] buf = embed(o.toByteArray(), before, after, tokenPadding);
    Tokens tokens = new Tokens();
    TokenHashes got = new TokenHashes();
    for (int round = 0; round < 2; round++) {
      got.clear();
      tokens.startBlock();
      OldTokens old = new OldTokens();
      TokenHashes want = new TokenHashes();
      Set<Long> ref = new HashSet<>();
      int p = before;
      for (byte[] l : lines) {
        tokens.addLine(buf, p, l.length, got);
        old.addLine(buf, p, l.length, want);
        refHashes(buf, p, l.length, ref);
        p += l.length;
      }
      assertThat(toSet(got)).isEqualTo(ref).isEqualTo(toSet(want));
      assertFilterHolds(got, ref);
      assertFilterHolds(want, ref);
    }
  }

  /**
   * The filter written from {@code hashes} holds every hash of {@code distinct} and is sized for their
   * number within the estimate's error (about four standard errors): hashes that
   * arrive more than once (the per-byte scan sends every repeat) neither add bits nor enlarge it much.
   */
  private static void assertFilterHolds(TokenHashes hashes, Set<Long> distinct) {
    ByteSink out = new ByteSink(16);
    TokenFilter.write(hashes, out);
    TokenFilter f = TokenFilter.read(new ByteSource(out.toByteArray(), 0, out.size(), 0, "test"));
    for (long h : distinct) assertThat(f.mightContainHash(h)).as("hash %x", h).isTrue();
    int n = distinct.size();
    double slack = 2 + Math.sqrt(n) + 0.01 * n;
    assertThat(f.sizeBytes() / 8).as("words for %d distinct of %d hashes", n, hashes.size())
        .isBetween(words(n - slack), words(n + slack));
  }

  private static int words(double tokens) {
    return tokens <= 0 ? 0 : (int) Math.ceil(tokens * TokenFilter.BITS_PER_TOKEN / 64);
  }

  @Test
  void tokenBitsAgreesWithTheDefinitionForEveryByteInEveryLane() {
    int[] neighbours = {0x00, '/', '0', '9', ':', '@', 'A', 'Z', '[', '`', 'a', 'z', '{', 0x7F, 0x80, 0xFF};
    for (int lane = 0; lane < 8; lane++) {
      for (int c = 0; c < 256; c++) {
        for (int nb : neighbours) {
          long w = 0;
          for (int k = 0; k < 8; k++) w |= (long) (k == lane ? c : nb) << (8 * k);
          long bits = Tokens.tokenBits(w);
          for (int k = 0; k < 8; k++) {
            int v = k == lane ? c : nb;
            long want = refTokenByte(v) ? 0x80L : 0L;
            assertThat((bits >>> (8 * k)) & 0xFF).as("byte 0x%02x in lane %d among 0x%02x", v, k, nb).isEqualTo(want);
          }
        }
      }
    }
  }

  @Property(tries = 3000)
  void tokenBitsAgreesWithTheDefinitionOnRandomWords(@ForAll long w) {
    long bits = Tokens.tokenBits(w);
    for (int k = 0; k < 8; k++) {
      int v = (int) (w >>> (8 * k)) & 0xFF;
      assertThat((bits >>> (8 * k)) & 0xFF).as("byte 0x%02x in lane %d", v, k).isEqualTo(refTokenByte(v) ? 0x80L : 0L);
    }
  }

  @Property(tries = 3000)
  void byteMaskGathersTheHighBits(@ForAll long w) {
    long want = 0;
    for (int k = 0; k < 8; k++) if ((w >>> (8 * k + 7) & 1) != 0) want |= 1L << k;
    assertThat(Tokens.byteMask(w & 0x8080808080808080L)).isEqualTo(want);
  }

  /** The masked read: bytes in {@code [p, end)} in place, zero from {@code end} on, near and at the array's end too. */
  @Property(tries = 2000)
  void wordReadsOnlyTheLine(@ForAll @Size(max = 24) byte[] b, @ForAll @IntRange(min = 0, max = 30) int p,
      @ForAll @IntRange(min = 0, max = 30) int end) {
    int e = Math.min(end, b.length);
    int from = Math.min(p, b.length);
    long want = 0;
    for (int k = 0; k < 8 && from + k < e; k++) want |= (b[from + k] & 0xFFL) << (8 * k);
    assertThat(Tokens.word(b, from, e)).isEqualTo(want);
  }

  /** Every loghub file as one block, in one buffer: the same set and filter bytes as the old scan. */
  @Test
  void loghubBlocksWriteTheOldFilterBytes() throws IOException {
    try (Stream<Path> files = Files.list(LoghubData.dir())) {
      int checked = 0;
      for (Path f : files.filter(q -> q.toString().endsWith(".log")).sorted().toList()) {
        byte[] buf = Files.readAllBytes(f);
        List<int[]> lines = new ArrayList<>(); // {offset, length} of each line without its newline
        for (int s = 0, i = 0; i <= buf.length; i++) {
          if (i == buf.length || buf[i] == '\n') {
            if (i > s) lines.add(new int[] {s, i - s});
            s = i + 1;
          }
        }
        Tokens tokens = new Tokens();
        OldTokens old = new OldTokens();
        TokenHashes got = new TokenHashes();
        TokenHashes want = new TokenHashes();
        tokens.startBlock();
        old.startBlock();
        for (int[] l : lines) {
          tokens.addLine(buf, l[0], l[1], got);
          old.addLine(buf, l[0], l[1], want);
        }
        assertThat(toSet(got)).as(f.getFileName().toString()).isEqualTo(toSet(want));
        assertThat(got.size()).isGreaterThan(100);
        assertFilterHolds(got, toSet(want));
        assertFilterHolds(want, toSet(want));
        checked++;
      }
      assertThat(checked).isGreaterThanOrEqualTo(16);
    }
  }

  private static Byte[] box(byte[] b) {
    Byte[] out = new Byte[b.length];
    for (int i = 0; i < b.length; i++) out[i] = b[i];
    return out;
  }

  private static byte[] unbox(List<Byte> l) {
    byte[] out = new byte[l.size()];
    for (int i = 0; i < out.length; i++) out[i] = l.get(i);
    return out;
  }
}
