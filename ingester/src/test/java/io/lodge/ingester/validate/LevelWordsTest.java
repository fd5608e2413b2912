package io.lodge.ingester.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/**
 * {@link LevelWords}' SWAR scan against the one-{@code indexOf}-per-word oracle
 * ({@link NaiveLevelDetector#fromSubstrings}) where a wrong mask or a wrong block boundary would show:
 * every level word at every offset of every short line over fill bytes chosen to trip the filter
 * (anchor letters, bytes one bit away from them, the borrow bytes 0x00/0x01, '&lt;' above '=', non-ASCII),
 * pairs of words in both rank orders, and random byte lines seeded with words and one-bit mutations of
 * words. The '=' half of the scan is checked against {@code indexOf('=')}.
 */
class LevelWordsTest {
  static final List<String> WORDS = List.of("info", "INFO", "err:", "ERR:", "error", "ERROR", "warn:", "WARN:",
      "warning", "WARNING", "CRITICAL:", "critical:", "debug:", "DEBUG:");
  /** Fill bytes: neutral, anchor letters of both cases, one-bit neighbours of them, borrow bytes, non-ASCII. */
  private static final byte[] FILLS = concat(bytes(" xnfrRcCwWaAeEbBoOuU:=<\"\\gGsSpP"),
      new byte[] {0, 1, 0x7F, (byte) 0x80, (byte) 0xC3, (byte) 0xE9, (byte) 0xEE, (byte) 0xF2, (byte) 0xFF});

  private static String expected(byte[] line) {
    return NaiveLevelDetector.fromSubstrings(line);
  }

  private static String actual(byte[] line) {
    return LevelWords.name(LevelWords.rank(line));
  }

  @Test
  void everyWordAtEveryOffsetOfEveryShortLineOverEveryFill() {
    int checks = 0;
    for (String word : WORDS) {
      byte[] w = bytes(word);
      for (byte fill : FILLS) {
        for (int len = w.length; len <= 40; len++) {
          for (int at = 0; at + w.length <= len; at++) {
            byte[] line = new byte[len];
            Arrays.fill(line, fill);
            System.arraycopy(w, 0, line, at, w.length);
            assertThat(actual(line)).as("%s at %d of %d over 0x%02x", word, at, len, fill & 0xFF).isEqualTo(expected(line));
            checks++;
          }
        }
      }
    }
    assertThat(checks).isGreaterThan(100_000);
  }

  @Test
  void twoWordsInEitherOrderAcrossBlockBoundaries() {
    // a worse word first, a better one later, and the other way round: the best must win wherever they sit
    for (String first : WORDS) {
      for (String second : WORDS) {
        byte[] a = bytes(first);
        byte[] b = bytes(second);
        for (int gap = 0; gap <= 9; gap++) {
          for (int at = 0; at <= 17; at++) {
            byte[] line = new byte[at + a.length + gap + b.length + (at % 3)];
            Arrays.fill(line, (byte) 'e');
            System.arraycopy(a, 0, line, at, a.length);
            System.arraycopy(b, 0, line, at + a.length + gap, b.length);
            assertThat(actual(line)).as("%s", text(line)).isEqualTo(expected(line));
          }
        }
      }
    }
  }

  @Test
  void wordsCutByTheLineEndAreNotWords() {
    for (String word : WORDS) {
      for (int cut = 1; cut < word.length(); cut++) {
        for (int pad = 0; pad <= 12; pad++) {
          byte[] line = bytes("x".repeat(pad) + word.substring(0, cut));
          assertThat(actual(line)).as(text(line)).isEqualTo(expected(line)).isEqualTo("unknown");
        }
      }
    }
  }

  @Property(tries = 3000)
  void randomBytesWithWordsAndNearMisses(@ForAll("seededLines") byte[] line) {
    assertThat(actual(line)).as(text(line)).isEqualTo(expected(line));
    int firstEquals = NaiveLevelDetector.indexOf(line, (byte) '=');
    int from = LevelWords.equalsFrom(LevelWords.scan(line));
    if (firstEquals < 0) assertThat(from).as(text(line)).isEqualTo(-1);
    else assertThat(from).as(text(line)).isBetween(0, firstEquals);
  }

  @Provide
  Arbitrary<byte[]> seededLines() {
    Arbitrary<byte[]> noise = Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(24),
        oneOf(bytes("nfrRcaAeEbBoOuU= <\\")).array(byte[].class).ofMaxSize(12),
        oneOf(new byte[] {0, 1, (byte) 0x80, (byte) 0xE9, (byte) 0xEE, 'x'}).array(byte[].class).ofMaxSize(12));
    Arbitrary<byte[]> word = Arbitraries.of(WORDS).map(LevelWordsTest::bytes);
    // one bit flipped in one byte: "infO", "ErR:", "wArn:", "deBug:" ... the case-folding filter flags
    // many of these, the exact check must reject them
    Arbitrary<byte[]> nearMiss = Combinators.combine(word, Arbitraries.integers().between(0, 8),
        Arbitraries.integers().between(0, 7)).as((w, at, bit) -> {
          byte[] m = w.clone();
          m[at % m.length] ^= (byte) (1 << bit);
          return m;
        });
    Arbitrary<byte[]> prefix = word.map(w -> Arrays.copyOf(w, Math.max(1, w.length - 1)));
    Arbitrary<byte[]> piece = Arbitraries.frequencyOf(
        Tuple.of(5, noise), Tuple.of(2, word), Tuple.of(4, nearMiss), Tuple.of(1, prefix));
    return piece.list().ofMaxSize(10).map(ps -> {
      byte[] out = new byte[0];
      for (byte[] p : ps) out = concat(out, p);
      return out;
    });
  }

  @Test
  void equalsFromFindsTheFirstEqualsSignInEveryBlockPosition() {
    for (int len = 0; len <= 40; len++) {
      for (int at = -1; at < len; at++) {
        for (String word : List.of("", "info", "error")) {
          byte[] line = new byte[len + word.length()];
          Arrays.fill(line, (byte) '<'); // '<' is '=' + 1: the zero-byte test's borrow neighbour
          System.arraycopy(bytes(word), 0, line, 0, word.length());
          if (at >= 0) line[word.length() + at] = '=';
          int first = NaiveLevelDetector.indexOf(line, (byte) '=');
          int from = LevelWords.equalsFrom(LevelWords.scan(line));
          if (first < 0) assertThat(from).as(text(line)).isEqualTo(-1);
          else assertThat(from).as(text(line)).isBetween(0, first);
        }
      }
    }
  }

  private static Arbitrary<Byte> oneOf(byte[] values) {
    Byte[] boxed = new Byte[values.length];
    for (int i = 0; i < values.length; i++) boxed[i] = values[i];
    return Arbitraries.of(boxed);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static String text(byte[] line) {
    return HexFormat.of().formatHex(line) + " \"" + new String(line, StandardCharsets.ISO_8859_1) + "\"";
  }
}
