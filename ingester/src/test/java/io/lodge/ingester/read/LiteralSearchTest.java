package io.lodge.ingester.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** {@link LiteralSearch} against a naive byte-by-byte oracle, on lines from a small alphabet. */
class LiteralSearchTest {
  @Provide
  Arbitrary<String> line() {
    // few distinct bytes, so literals occur often, straddle line ends, and the anchor repeats
    return Arbitraries.strings().withChars("ab e=1\u00e9Z").ofMaxLength(40);
  }

  @Provide
  Arbitrary<String> literal() {
    return Arbitraries.strings().withChars("ab e=1\u00e9Z").ofMinLength(1).ofMaxLength(20)
        .filter(s -> s.getBytes(StandardCharsets.UTF_8).length > 0);
  }

  @Property(tries = 500)
  void nextMatchFindsTheFirstLineHoldingTheLiteral(@ForAll @Size(max = 30) List<@From("line") String> lines,
      @ForAll("literal") String literal, @ForAll @IntRange(max = 30) int fromSeed) {
    byte[][] raw = lines.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    int[] offsets = new int[raw.length + 1];
    for (int i = 0; i < raw.length; i++) offsets[i + 1] = offsets[i] + raw[i].length;
    byte[] buf = new byte[offsets[raw.length] + 3]; // slack after the lines must not be matched
    for (int i = 0; i < raw.length; i++) System.arraycopy(raw[i], 0, buf, offsets[i], raw[i].length);
    byte[] lit = literal.getBytes(StandardCharsets.UTF_8);
    LiteralSearch search = new LiteralSearch(lit);
    int from = raw.length == 0 ? 0 : fromSeed % (raw.length + 1);
    int expected = raw.length;
    for (int i = from; i < raw.length; i++) {
      if (naiveIndexOf(raw[i], lit) >= 0) {
        expected = i;
        break;
      }
    }
    assertThat(search.nextMatch(buf, offsets, from, raw.length)).isEqualTo(expected);
    for (int i = 0; i < raw.length; i++) {
      assertThat(search.contains(buf, offsets[i], raw[i].length)).isEqualTo(naiveIndexOf(raw[i], lit) >= 0);
    }
  }

  @Property(tries = 500)
  void indexOfAgreesWithTheNaiveSearch(@ForAll @Size(max = 8) List<@From("line") String> parts, @ForAll("literal") String literal) {
    byte[] hay = String.join("", parts).getBytes(StandardCharsets.UTF_8);
    byte[] lit = literal.getBytes(StandardCharsets.UTF_8);
    assertThat(new LiteralSearch(lit).indexOf(hay, 0, hay.length)).isEqualTo(naiveIndexOf(hay, lit));
  }

  @Property(tries = 300)
  void nearMissesDifferingInAnyByteAreNoMatch(@ForAll @IntRange(min = 1, max = 40) int length, @ForAll long seed) {
    // copies of a literal with one byte changed, at its head, its tail or in its middle: candidates that
    // often pass both anchors and differ from the literal only where the verification must catch them
    java.util.Random random = new java.util.Random(seed);
    byte[] lit = new byte[length];
    for (int i = 0; i < length; i++) lit[i] = (byte) "0123456789abcdef".charAt(random.nextInt(16));
    java.io.ByteArrayOutputStream hay = new java.io.ByteArrayOutputStream();
    for (int copy = 0; copy < 12; copy++) {
      byte[] near = lit.clone();
      int at = random.nextInt(length);
      near[at] = (byte) (near[at] == 'x' ? 'y' : 'x');
      hay.writeBytes(near);
      if (random.nextBoolean()) hay.write(' ');
    }
    if (random.nextInt(3) == 0) hay.writeBytes(lit); // sometimes the real thing after all of them
    byte[] h = hay.toByteArray();
    assertThat(new LiteralSearch(lit).indexOf(h, 0, h.length)).isEqualTo(naiveIndexOf(h, lit));
  }

  @Test
  void anchorIsTheRarestByte() {
    assertThat(LiteralSearch.rarestByte("error".getBytes(StandardCharsets.US_ASCII))).isZero(); // all common
    assertThat(LiteralSearch.rarestByte("req=7f".getBytes(StandardCharsets.US_ASCII))).isEqualTo(3); // '='
    assertThat(LiteralSearch.rarestByte("needleX".getBytes(StandardCharsets.US_ASCII))).isEqualTo(6);
  }

  @Test
  void aHitAcrossTwoLinesIsNoMatch() {
    byte[] buf = "abcdef".getBytes(StandardCharsets.US_ASCII);
    LiteralSearch s = new LiteralSearch("cd".getBytes(StandardCharsets.US_ASCII));
    assertThat(s.nextMatch(buf, new int[] {0, 3, 6}, 0, 2)).isEqualTo(2);
    assertThat(s.nextMatch(buf, new int[] {0, 4, 6}, 0, 2)).isZero();
  }

  private static int naiveIndexOf(byte[] hay, byte[] lit) {
    outer:
    for (int i = 0; i + lit.length <= hay.length; i++) {
      for (int j = 0; j < lit.length; j++) if (hay[i + j] != lit[j]) continue outer;
      return i;
    }
    return -1;
  }
}
