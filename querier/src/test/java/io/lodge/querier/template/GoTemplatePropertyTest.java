package io.lodge.querier.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

/** Randomized checks of the template engine against simple oracles. */
class GoTemplatePropertyTest {
  private static final GoTemplate CONCAT = GoTemplate.parse("{{.a}}-{{.b}}");

  @Provide
  Arbitrary<String> anyText() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(20),
        Arbitraries.strings().withChars("{}.|$-\" \n\té世").ofMaxLength(12));
  }

  @Property(tries = 500)
  void fieldsRenderAsConcatenation(@ForAll("anyText") String a, @ForAll("anyText") String b,
      @ForAll boolean hasA, @ForAll boolean hasB, @ForAll("anyText") String other) {
    Map<String, String> labels = new HashMap<>();
    if (hasA) labels.put("a", a);
    if (hasB) labels.put("b", b);
    labels.put("other", other);
    String out = CONCAT.execute(new TemplateContext(labels, 0, "line"));
    assertThat(out).isEqualTo((hasA ? a : "") + "-" + (hasB ? b : ""));
  }

  @Property(tries = 300)
  void integersPrintLikeJava(@ForAll long v) {
    GoTemplate t = GoTemplate.parse("{{ printf \"%d %x %v\" (int .v) (int .v) (int .v) }}");
    String out = t.execute(new TemplateContext(Map.of("v", Long.toString(v)), 0, ""));
    String hex = v < 0 ? "-" + Long.toUnsignedString(-v, 16) : Long.toHexString(v);
    assertThat(out).isEqualTo(v + " " + hex + " " + v);
  }

  @Property(tries = 500)
  void floatsPrintShortestAndReadBack(@ForAll double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) return;
    String out = GoTemplate.parse("{{ float64 .x }}")
        .execute(new TemplateContext(Map.of("x", Double.toString(d)), 0, ""));
    assertThat(Double.parseDouble(out)).isEqualTo(d);
    // Go's %v switches to exponent form outside [1e-4, 1e21) digits-wise; plain form never has "E".
    assertThat(out).doesNotContain("E");
  }

  @Property(tries = 300)
  void literalRegexReplaceMatchesStringReplace(@ForAll("anyText") String src,
      @ForAll @StringLength(min = 1, max = 3) String needle, @ForAll("anyText") String repl) {
    GoTemplate t = GoTemplate.parse("{{ regexReplaceAllLiteral .p .s .r }}");
    String out = t.execute(new TemplateContext(Map.of("p", Pattern.quote(needle), "s", src, "r", repl), 0, ""));
    assertThat(out).isEqualTo(src.replace(needle, repl));
  }

  @Property(tries = 300)
  void truncCutsBytesLikeSprig(@ForAll @StringLength(max = 20) String s, @ForAll int n) {
    String ascii = s.chars().map(c -> c & 0x7f).collect(StringBuilder::new, StringBuilder::appendCodePoint,
        StringBuilder::append).toString();
    int count = Math.floorMod(n, 30) - 10;
    String out = GoTemplate.parse("{{ trunc (int .n) .s }}")
        .execute(new TemplateContext(Map.of("s", ascii, "n", Integer.toString(count)), 0, ""));
    int l = ascii.length();
    String want = count < 0 && l + count > 0 ? ascii.substring(l + count) : count >= 0 && l > count ? ascii.substring(0, count) : ascii;
    assertThat(out).isEqualTo(want);
  }

  @Property(tries = 300)
  void alignCountsRunes(@ForAll("anyText") String s, @ForAll int n) {
    int count = Math.floorMod(n, 30) - 10;
    Map<String, String> labels = Map.of("s", s, "n", Integer.toString(count));
    String out = GoTemplate.parse("{{ alignLeft (int .n) .s }}").execute(new TemplateContext(labels, 0, ""));
    int[] cps = s.codePoints().toArray();
    String align;
    if (count < 0 || count == cps.length) {
      align = s;
    } else if (count > cps.length) {
      align = s + " ".repeat(count - cps.length);
    } else {
      align = new String(cps, 0, count);
    }
    assertThat(out).isEqualTo(align);
  }

  private static final String[] PIECES = {
    "{{", "}}", "{{- ", " -}}", "{{/* c */}}", "(", ")", " ", "|", ".", ".a", ".b.c", "$", "$x", ":=",
    "=", ",", "if", "else", "end", "range", "with", "break", "continue", "nil", "true", "1", "-2.5",
    "0x1F", "'c'", "\"s\"", "`r`", "\"\\q\"", "printf", "\"%d %s %v %5.2f\"", "len", "index", "slice",
    "eq", "lt", "and", "or", "not", "add", "divf", "trunc", "substr", "date", "now", "toDate",
    "fromJson", "\"[1,2]\"", "default", "regexReplaceAll", "\"(\"", "count", "__line__",
    "__timestamp__", "unixToTime", "round", "b64dec", "x", "\n", "é"
  };

  /** Random token soup either fails to parse or runs with a {@link TemplateException}, never worse. */
  @Property(tries = 2000)
  void soupFailsCleanly(@ForAll long seed) {
    Random r = new Random(seed);
    StringBuilder b = new StringBuilder();
    int n = 1 + r.nextInt(14);
    for (int i = 0; i < n; i++) b.append(PIECES[r.nextInt(PIECES.length)]).append(r.nextBoolean() ? " " : "");
    GoTemplate t;
    try {
      t = GoTemplate.parse(b.toString());
    } catch (TemplateException e) {
      assertThat(e.getMessage()).startsWith("template: line:");
      return;
    }
    try {
      t.execute(new TemplateContext(Map.of("a", "1", "b", "2"), 1_700_000_000_000_000_000L, "the line"));
    } catch (TemplateException e) {
      assertThat(e.getMessage()).startsWith("template: line:");
    }
  }
}
