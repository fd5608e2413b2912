package io.lodge.querier.pipeline.filter;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import io.lodge.querier.logql.ast.LineFilterExpr;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Line filters checked against simple oracles: String.contains, re2j on strings, InetAddress masks. */
class LineFilterPropertyTest {
  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.strings().withChars("abcAB \u00e9\u212a\u017fkKsS.").ofMaxLength(24);
  }

  @Provide
  Arbitrary<String> literals() {
    return Arbitraries.strings().withChars("abAkKsS \u00e9").ofMinLength(1).ofMaxLength(4);
  }

  @Provide
  Arbitrary<String> asciiLiterals() {
    return Arbitraries.strings().withChars("abAkKsS ").ofMinLength(1).ofMaxLength(4);
  }

  private static LineFilter compile(LineFilterExpr.Op op, String value) {
    return LineFilters.compile(new LineFilterExpr(op, List.of(new LineFilterExpr.Value(value, false))));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Property(tries = 300)
  void containsIsStringContains(@ForAll("texts") String line, @ForAll("literals") String lit) {
    assertThat(compile(LineFilterExpr.Op.CONTAINS, lit).matches(utf8(line))).isEqualTo(line.contains(lit));
    assertThat(compile(LineFilterExpr.Op.NOT_CONTAINS, lit).matches(utf8(line))).isEqualTo(!line.contains(lit));
  }

  @Property(tries = 300)
  void caseInsensitiveFastPathAgreesWithRe2(@ForAll("texts") String line, @ForAll("asciiLiterals") String lit) {
    boolean oracle = Pattern.compile("(?i)" + lit).matcher(line).find();
    LineFilter f = compile(LineFilterExpr.Op.MATCH, "(?i)" + lit);
    assertThat(f).isInstanceOf(CaseInsensitiveContainsFilter.class);
    assertThat(f.matches(utf8(line))).isEqualTo(oracle);
  }

  @Property(tries = 300)
  void regexWithLiteralPrefilterAgreesWithRe2(@ForAll("texts") String line,
      @ForAll @IntRange(max = 7) int which) {
    String re = List.of("ab+", "abc?", "a.b", "^ab", "ab.*c", "b[aA]+s", "\u00e9.\u00e9", "ab{2}").get(which);
    boolean oracle = Pattern.compile(re).matcher(line).find();
    assertThat(compile(LineFilterExpr.Op.MATCH, re).matches(utf8(line))).as(re).isEqualTo(oracle);
  }

  @Provide
  Arbitrary<String> regexes() {
    return Arbitraries.of("ab", "a", "b", "c", "\u00e9", "(a|b)", "(?:ab|c)", "(?P<n>b)", "[ab]", "[^a]", "\\.", ".",
        "a*", "b+", "c?", "a{2}", "b{0,2}", "(ab)?", "|", "\\d", "x", "\uD83D\uDE00", "\uD83D\uDE00?", "^", "$", "(?s)", "(?s)*", "(?m){0,2}")
        .list().ofMinSize(1).ofMaxSize(6).map(parts -> String.join("", parts));
  }

  @Provide
  Arbitrary<String> regexLines() {
    return Arbitraries.strings().withChars("abcx.1 \u00e9\uD83D\uDE00").ofMaxLength(16)
        .filter(s -> s.isEmpty() || !Character.isHighSurrogate(s.charAt(s.length() - 1)));
  }

  @Property(tries = 2000)
  void regexWithRequiredLiteralsAgreesWithRe2(@ForAll("regexes") String re, @ForAll("regexLines") String line) {
    Pattern oracle;
    try {
      oracle = Pattern.compile(re);
    } catch (com.google.re2j.PatternSyntaxException e) {
      return; // pieces that make no regex together: nothing to compare
    }
    // The oracle runs the same engine on the same bytes without the literal test in front of it.
    assertThat(compile(LineFilterExpr.Op.MATCH, re).matches(utf8(line))).as(re + " on " + line)
        .isEqualTo(oracle.matcher(utf8(line)).find());
  }

  @Property(tries = 300)
  void ipv4CidrMatchesInetAddressMask(@ForAll @IntRange(max = 255) int a, @ForAll @IntRange(max = 255) int b,
      @ForAll @IntRange(max = 255) int c, @ForAll @IntRange(max = 255) int d,
      @ForAll @IntRange(max = 32) int bits, @ForAll @IntRange(max = 255) int flip) throws UnknownHostException {
    String net = a + "." + b + "." + c + "." + d;
    int mixed = flip % 4 == 0 ? (d ^ flip) & 0xff : d;
    String addr = a + "." + ((flip & 1) == 1 ? (b ^ (flip >> 1)) & 0xff : b) + "." + c + "." + mixed;
    boolean oracle = inCidr(InetAddress.getByName(addr).getAddress(), InetAddress.getByName(net).getAddress(), bits);
    LineFilter f = LineFilters.compile(new LineFilterExpr(LineFilterExpr.Op.CONTAINS,
        List.of(new LineFilterExpr.Value(net + "/" + bits, true))));
    assertThat(f.matches(utf8("conn from=" + addr + " port 22"))).as(addr + " in " + net + "/" + bits).isEqualTo(oracle);
    // A digit glued in front makes another number: never a match for this address (it may be invalid).
    String glued = "9" + addr;
    boolean gluedValid = glued.split("\\.")[0].length() <= 3 && Integer.parseInt(glued.split("\\.")[0]) <= 255;
    boolean gluedOracle = gluedValid && inCidr(InetAddress.getByName(glued).getAddress(),
        InetAddress.getByName(net).getAddress(), bits);
    assertThat(f.matches(utf8("x " + glued + " y"))).as(glued).isEqualTo(gluedOracle);
  }

  @Property(tries = 300)
  void ipv6RangesMatchInetAddressOrder(@ForAll @IntRange(max = 65535) int x, @ForAll @IntRange(max = 65535) int lo,
      @ForAll @IntRange(max = 65535) int hi) throws UnknownHostException {
    int l = Math.min(lo, hi);
    int h = Math.max(lo, hi);
    String pattern = "2001:db8::" + Integer.toHexString(l) + "-2001:db8::" + Integer.toHexString(h);
    String addr = "2001:db8::" + Integer.toHexString(x);
    byte[] bytes = InetAddress.getByName(addr).getAddress();
    int last = ((bytes[14] & 0xff) << 8) | (bytes[15] & 0xff);
    LineFilter f = LineFilters.compile(new LineFilterExpr(LineFilterExpr.Op.CONTAINS,
        List.of(new LineFilterExpr.Value(pattern, true))));
    assertThat(f.matches(utf8("peer " + addr + " up"))).isEqualTo(last >= l && last <= h);
  }

  private static boolean inCidr(byte[] addr, byte[] net, int bits) {
    for (int i = 0; i < bits; i++) {
      int m = 0x80 >> (i % 8);
      if ((addr[i / 8] & m) != (net[i / 8] & m)) return false;
    }
    return true;
  }
}
