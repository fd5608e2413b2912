package io.lodge.querier.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table of (template, labels, line, timestamp) → output or Go error, built from the examples of
 * Loki's template-function docs and {@code fmt_test.go} and from Go's documented text/template
 * and fmt behaviour. The process zone is pinned to UTC, like a Loki container's.
 */
class GoTemplateTest {
  private static TimeZone saved;

  @BeforeAll
  static void utc() {
    saved = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
  }

  @AfterAll
  static void restore() {
    TimeZone.setDefault(saved);
  }

  record Case(String name, String template, Map<String, String> labels, String line, long ts, String want) {
    @Override
    public String toString() {
      return name + ": " + template;
    }
  }

  private static final List<Case> CASES = new ArrayList<>();

  private static void ok(String tmpl, String want, String... kv) {
    add("ok", tmpl, "", 0, want, kv);
  }

  private static void add(String name, String tmpl, String line, long ts, String want, String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    CASES.add(new Case(name, tmpl, m, line, ts, want));
  }

  /** A runtime error: the template parses, execution throws this exact message. */
  private static void err(String tmpl, String message, String... kv) {
    add("err", tmpl, "", 0, "ERR " + message, kv);
  }

  static {
    // ---- Loki fmt_test.go: line formatter -------------------------------------------------
    ok("{{.foo | count \"abc\" }}", "3", "foo", "abc abc abc");
    ok("{{.foo | count \"a|b|c\" }}", "9", "foo", "abc abc abc");
    ok("foo{{.foo}}buzz{{  .bar  }}", "fooblipbuzzblop", "foo", "blip", "bar", "blop");
    ok("foo{{.foo}}buzz{{ Replace .bar \"blop\" \"bar\" -1 }}", "fooblipbuzzbar", "foo", "blip", "bar", "blop");
    ok("foo{{.foo}}buzz{{ .bar | replace \"blop\" \"bar\" }}", "fooblipbuzzbar", "foo", "blip", "bar", "blop");
    ok("{{.foo | title }}", "Blip", "foo", "blip");
    ok("{{.foo | substr 1 3 }} {{ .bar  | trunc 1 }} {{ .bar  | trunc 3 }}", "li b blo", "foo", "blip", "bar", "blop");
    ok("{{.foo | trim }} {{ .bar  | trimAll \"op\" }} {{ .bar  | trimPrefix \"b\" }} {{ .bar  | trimSuffix \"p\" }}",
        "blip bl lop blo", "foo", "  blip ", "bar", "blop");
    ok("{{.foo | lower }} {{ .bar  | upper }}", "blip BLOP", "foo", "BLIp", "bar", "blop");
    String q = "/loki/api/v1/query?query=sum(count_over_time({stream_filter=\"some_stream\",environment=\"prod\", host=~\"someec2.*\"}";
    String qe = "%2Floki%2Fapi%2Fv1%2Fquery%3Fquery%3Dsum%28count_over_time%28%7Bstream_filter%3D%22some_stream%22%2Cenvironment%3D%22prod%22%2C+host%3D~%22someec2.%2A%22%7D";
    ok("{{.foo | urlencode }} {{ urlencode .foo }}", qe + " " + qe, "foo", q);
    ok("{{.foo | urldecode }} {{ urldecode .foo }}", q + " " + q, "foo", qe);
    ok("{{ \"foo\" | repeat 3 }}", "foofoofoo");
    ok("{{ \"foo\\n bar\" | indent 4 }}", "    foo\n     bar");
    ok("{{ \"foo\" | nindent 2 }}", "\n  foo");
    ok("{{ if  .foo | contains \"p\"}}yes{{end}}-{{ if  .foo | contains \"z\"}}no{{end}}", "yes-", "foo", "BLIp");
    ok("{{ if  .foo | hasPrefix \"BL\" }}yes{{end}}-{{ if  .foo | hasPrefix \"p\"}}no{{end}}", "yes-", "foo", "BLIp");
    ok("{{ if  .foo | hasSuffix \"Ip\" }}yes{{end}}-{{ if  .foo | hasSuffix \"pw\"}}no{{end}}", "yes-", "foo", "BLIp");
    ok("{{ regexReplaceAll \"(p)\" .foo \"t\" }}", "BLIt", "foo", "BLIp");
    ok("{{ regexReplaceAllLiteral \"(p)\" .foo \"${1}\" }}", "BLI${1}", "foo", "BLIp");
    err("{{.foo Replace \"foo\"}}",
        "template: line:1:2: executing \"line\" at <.foo>: foo is not a method but has arguments", "foo", "blip");
    ok("foo {{.foo}}buzz{{  .bar  }}", "foo buzzblop", "bar", "blop");
    ok("foo {{.foo | ToUpper }} buzz{{  .bar  }}", "foo BLIP buzzblop", "foo", "blip", "bar", "blop");
    ok("{{ add .foo 1 | sub .bar | mul .baz | div .bazz}}", "2", "foo", "1", "bar", "3", "baz", "10", "bazz", "20");
    ok("{{ addf .foo 1.5 | subf .bar 1.5 | mulf .baz | divf .bazz }}", "3.8476190476190477",
        "foo", "1.5", "bar", "5", "baz", "10.5", "bazz", "20.2");
    ok("{{ round (addf .foo 1.5 | subf .bar | mulf .baz | divf .bazz) 5 .2}}", "3.88572",
        "foo", "1.5", "bar", "3.5", "baz", "10.5", "bazz", "20.4");
    ok("min is {{ min .foo .bar .baz }} and max is {{ max .foo .bar .baz }}", "min is 5 and max is 15",
        "foo", "5", "bar", "10", "baz", "15");
    ok("minf is {{ minf .foo .bar .baz }} and maxf is {{maxf .foo .bar .baz}}", "minf is 5.3 and maxf is 15.2",
        "foo", "5.3", "bar", "10.5", "baz", "15.2");
    ok("ceil is {{ ceil .foo }} and floor is {{floor .foo }}", "ceil is 6 and floor is 5", "foo", "5.3");
    ok("mod is {{ mod .foo 3 }}", "mod is 2", "foo", "20");
    ok("{{ \"2.5\" | float64 | int | add 10}}", "12");
    ok("{{ sub (unixEpoch (toDate \"2006-01-02\" \"2021-11-02\")) (unixEpoch (toDate \"2006-01-02\" \"2021-11-01\")) }}", "86400");
    ok("{{ date \"2006-01-02\" (toDate \"2006-01-02\" \"2021-11-02\") }}", "2021-11-02");
    ok("{{ div (unixEpoch now) (unixEpoch now) }}", "1");
    add("line", "{{ __line__ }} bar {{ .bar }}", "1", 0, "1 bar 2", "bar", "2");
    ok("{{.foo | default \"-\" }}{{.bar | default \"-\"}}{{.unknown | default \"-\"}}", "blip--", "foo", "blip", "bar", "");
    add("ts", "{{ __timestamp__ | date \"2006-01-02\" }} bar {{ .bar }}", "1", 1656353124120000000L, "2022-06-27 bar 2", "bar", "2");
    add("ts", "{{ __timestamp__ | unixEpoch }} bar {{ .bar }}", "1", 1656353124120000000L, "1656353124 bar 2", "bar", "2");
    err("{{.foo | now}}",
        "template: line:1:9: executing \"line\" at <now>: wrong number of args for now: want 0 got 1", "foo", "blip");
    ok("{{ .foo | bytes }}", "3000", "foo", "3 kB");
    ok("{{ .foo | bytes }}", "3e+06", "foo", "3MB");
    ok("{{ .foo | duration }}", "0.003", "foo", "3ms");
    ok("{{ .foo | duration_seconds }}", "190", "foo", "3m10s");
    ok("{{ .foo | toDateInZone \"2006-01-02T15:04:05.999999999Z\" \"UTC\" | unixEpochMillis }}", "1678411960340",
        "foo", "2023-03-10T01:32:40.340485723Z");
    ok("{{ .foo | toDateInZone \"2006-01-02T15:04:05.999999999Z\" \"UTC\" | unixEpochNanos }}", "1678411960340485723",
        "foo", "2023-03-10T01:32:40.340485723Z");
    ok("{{ .foo | b64enc }}", "aSdtIGEgc3RyaW5nLCBlbmNvZGUgbWUh", "foo", "i'm a string, encode me!");
    ok("{{ .foo | b64dec }}", "i'm a string, encode me!", "foo", "aSdtIGEgc3RyaW5nLCBlbmNvZGUgbWUh");
    ok("{{ alignLeft 4 .foo }}", "hell", "foo", "hello");
    ok("{{ alignRight 4 .foo }}", "ello", "foo", "hello");
    ok("{{.foo}}", "bar", "foo", "bar");
    ok("{{.foo}}  ", "bar  ", "foo", "bar");
    ok("{{.missing}}", "", "foo", "bar");
    // ---- label formatter cases (template named "label") ------------------------------------
    ok("{{.foo}} and {{.bar}}", "blip and blop", "foo", "blip", "bar", "blop");
    ok("{{div .status 100 }}", "2", "status", "200");
    add("ts", "{{ __timestamp__ | date \"2006-01-02\" }}", "test line", 1661518453244672570L, "2022-08-26");
    add("ts", "{{ __timestamp__ | unixEpoch }}", "test line", 1661518453244672570L, "1661518453");
    add("line", "{{ __line__ | count \"test\" }}", "test line", 0, "1");
    add("line", "{{ __line__ | count \"notmatching.*\" }}", "test line", 0, "0");
    ok("{{ .bar | unixToTime }}", "2023-05-26 00:00:00 +0000 UTC", "bar", "19503");
    ok("{{ .bar | unixToTime }}", "2023-03-23 13:13:35 +0000 UTC", "bar", "1679577215");
    ok("{{ .bar | unixToTime }}", "2009-11-10 23:00:00 +0000 UTC", "bar", "1257894000000");
    ok("{{ .bar | unixToTime }}", "2023-01-15 16:08:09.902 +0000 UTC", "bar", "1673798889902000");
    ok("{{ .bar | unixToTime }}", "2001-09-09 01:46:40 +0000 UTC", "bar", "1000000000000000000");
    // trunc and substr are Sprig's (bytes), not Loki's unregistered rune versions.
    ok("{{ trunc -3 .s }}|{{ trunc 1 .s }}|{{ trunc 0 .s }}|{{ trunc 20 .s }}|{{ trunc -20 .s }}|{{ trunc 8 .s }}",
        "界|H||Hello, 世界|Hello, 世界|Hello, \ufffd", "s", "Hello, 世界");
    ok("{{ alignLeft 8 .s }}|{{ alignLeft 20 .s }}|{{ alignRight 2 .s }}|{{ alignRight -1 .s }}",
        "Hello, 世|Hello, 世界           |世界|Hello, 世界", "s", "Hello, 世界");
    ok("{{ substr 1 10 .s }}|{{ substr -10 10 .s }}|{{ substr 1 1 .s }}|{{ substr 3 -1 .s }}|{{ substr 3 99 .s }}",
        "ello, 世|Hello, 世||lo, 世界|lo, 世界", "s", "Hello, 世界");
    err("{{ substr 5 1 .s }}", "template: line:1:3: executing \"line\" at <substr 5 1 .s>: error calling substr: runtime error: slice bounds out of range [5:1]",
        "s", "hello");
    err("{{ substr -1 9 .s }}", "template: line:1:3: executing \"line\" at <substr -1 9 .s>: error calling substr: runtime error: slice bounds out of range [:9] with length 5",
        "s", "hello");
    err("{{ substr 7 -1 .s }}", "template: line:1:3: executing \"line\" at <substr 7 -1 .s>: error calling substr: runtime error: slice bounds out of range [7:5]",
        "s", "hello");

    // ---- Loki docs: template_functions.md --------------------------------------------------
    ok("{{ .path | replace \" \" \"_\" | trunc 5 | upper }}", "A_B_C", "path", "a b c d");
    ok("{{ if and (contains \"he\" \"hello\") (contains \"llo\" \"hello\") }} yes {{end}}", " yes ");
    ok("{{ if contains .err \"ErrTimeout\" }} timeout {{else if contains \"he\" \"hello\"}} yes {{else}} no {{end}}",
        " yes ", "err", "x");
    ok("{{ if contains .err \"ErrTimeout\" }} timeout {{else}} no {{end}}", " timeout ", "err", "Timeout");
    ok("{{ alignLeft 5 \"hello world\"}}|{{ alignLeft 5 \"hi\"}}|{{ alignRight 5 \"hello world\"}}|{{ alignRight 5 \"hi\"}}",
        "hello|hi   |world|   hi");
    ok("{{ default \"-\" \"\" }}{{ default \"-\" \"foo\" }}", "-foo");
    ok("{{fromJson \"{\\\"foo\\\": 55}\"}}", "map[foo:55]");
    ok("{{ range $q := fromJson .queries }} {{ $q.query }} {{ end }}", " a  b ",
        "queries", "[{\"query\":\"a\"},{\"query\":\"b\"}]");
    ok("{{ lower  \"HELLO\"}}", "hello");
    ok("{{ repeat 3 \"hello\" }}", "hellohellohello");
    ok("{{ printf \"The IP address was %s\" .remote_addr }}", "The IP address was 129.168.1.1", "remote_addr", "129.168.1.1");
    ok("{{ printf \"%-40.40s\" .request_uri}} {{printf \"%-5.5s\" .request_method}}",
        "/a/509965767/alternative-to-my-mtg.html  GET  ",
        "request_uri", "/a/509965767/alternative-to-my-mtg.html", "request_method", "GET");
    ok("\"|\" {{printf \"%15.15s\" .ClientHost}} \"|\"", "\"|\"        10.0.0.1 \"|\"", "ClientHost", "10.0.0.1");
    ok("{{ .cluster | replace \"-cluster\" \"\" }}|{{ replace \"hello\" \"world\" \"hello world\" }}", "eu|world world",
        "cluster", "eu-cluster");
    ok("{{ substr 0 5 \"hello world\"}}|{{ substr 6 11 \"hello world\"}}", "hello|world");
    ok("{{ title \"hello world\"}}", "Hello World");
    ok("{{ trim \"   hello    \" }}|{{ trimAll \"$\" \"$5.00\" }}|{{ trimPrefix \"-\" \"-hello\" }}|{{ trimSuffix \"-\" \"hello-\" }}",
        "hello|5.00|hello|hello");
    ok("{{ trunc 5 \"hello world\"}}|{{ trunc -5 \"hello world\"}}", "hello|world");
    ok("{{ upper  \"hello\"}}", "HELLO");
    ok("{{ if eq \"hello\" \"hello\" }} yes {{end}}{{ if hasPrefix \"he\" \"hello\" }}p{{end}}", " yes p");
    ok("{{ add 3 2 5 }}|{{ addf 3.5 2 5 }}|{{ ceil 123.001 }}|{{ div 10 2}}|{{ divf 10 2 4}}", "10|10.5|124|5|1.25");
    ok("{{ \"3.5\" | float64 }}|{{ floor 123.9999 }}|{{ \"3\" | int }}|{{ max 1 2 3 }}|{{ maxf 1 2.5 3 }}", "3.5|123|3|3|3");
    ok("{{ min 1 2 3 }}|{{ minf 1 2.5 3 }}|{{ mul 5 2 3}}|{{ mulf 5.5 2 2.5 }}|{{ mod 10 3}}", "1|1|30|27.5|1");
    ok("{{ round 123.555555 3 }}|{{ round 123.88571428571 5 .2 }}|{{ round 123.88571428571 5 }}|{{ sub 5 2 }}|{{ subf  5.5 2 1.5 }}",
        "123.556|123.88572|123.88571|3|2");
    ok("{{ count \"a|b\" \"abab\" }}|{{ count \"o\" \"foo\" }}|{{ count \"x*\" \"abc\" }}", "4|2|4");
    ok("{{ regexReplaceAll \"(a*)bc\" .some_label \"${1}a\" }}", "aaaxa", "some_label", "aabcxbc");
    ok("{{ regexReplaceAll \"a(?P<n>x)\" .s \"[$n$1x${1}x$$]\" }}", "[xxx$]", "s", "ax");
    ok("{{ regexReplaceAll \"x*\" .s \"-\" }}", "-a-b-", "s", "ab");
    ok("{{ regexReplaceAllLiteral \"(ts=)\" .timestamp \"timestamp=\" }}", "timestamp=1", "timestamp", "ts=1");
    ok("{{ toDateInZone \"2006-01-02\" \"UTC\" \"2021-11-02\" }}", "2021-11-02 00:00:00 +0000 UTC");
    ok("{{ toDate \"2006-01-02\" \"not a date\" }}", "0001-01-01 00:00:00 +0000 UTC");
    ok("{{ unixEpoch (toDate \"2006-01-02\" \"2021-11-02\") }}", "1635811200");
    ok("from=\"{{date \"2006-01-02\" (unixToTime .from)}}\"", "from=\"2023-03-23\"", "from", "1679577215");
    ok("{{ toDateInZone \"2006-01-02 15:04\" \"Europe/Paris\" .d | date \"Mon Jan _2 15:04:05 MST 2006\" }}",
        "Mon Jul  3 08:30:00 UTC 2023", "d", "2023-07-03 10:30");
    ok("{{ (toDateInZone \"02/01/2006 3:04PM -07:00\" \"UTC\" .d).Format \"2006-01-02T15:04:05.000Z07:00\" }}",
        "2023-07-03T22:30:00.000-02:00", "d", "03/07/2023 10:30PM -02:00");
    add("ts", "{{ __timestamp__ | date \"2006-01-02T15:04:05.00Z-07:00\" }}", "", 1656353124120000000L,
        "2022-06-27T18:05:24.12Z+00:00");
    add("ts", "{{ __timestamp__ }}", "", 1656353124120000000L, "2022-06-27 18:05:24.12 +0000 UTC");
    add("ts", "{{ (__timestamp__).Unix }} {{ (__timestamp__).UnixMilli }} {{ __timestamp__ | unixEpochNanos }}", "",
        1656353124120000000L, "1656353124 1656353124120 1656353124120000000");

    // ---- whitespace trimming and comments --------------------------------------------------
    ok("a  {{- .x -}}  b", "a1b", "x", "1");
    ok("a {{- /* comment */ -}} b", "ab");
    ok("{{/* c */}}x{{/* multi\nline */}}", "x");
    ok("a\n{{- if true }}\n  yes\n{{- end }}\n", "a\n  yes\n");
    ok("x {{-3}}", "x -3");
    ok("{{ 3 -}} \n\t y", "3y");

    // ---- variables, with, range, nested control ---------------------------------------------
    ok("{{ $x := .a }}{{ $x }}-{{ $x = \"z\" }}{{ $x }}", "1-z", "a", "1");
    ok("{{ with $v := .a }}{{ $v }}{{ . }}{{ end }}", "11", "a", "1");
    ok("{{ with .missing }}x{{ else }}y{{ end }}", "y");
    ok("{{ with .missing }}x{{ else with .a }}{{ . }}{{ end }}", "1", "a", "1");
    ok("{{ range $i, $e := fromJson \"[\\\"a\\\",\\\"b\\\"]\" }}{{ $i }}={{ $e }};{{ end }}", "0=a;1=b;");
    ok("{{ range $k, $v := . }}{{ $k }}={{ $v }},{{ end }}", "a=1,b=2,", "b", "2", "a", "1");
    ok("{{ range 3 }}{{ . }}{{ end }}", "012");
    ok("{{ range fromJson \"[]\" }}x{{ else }}empty{{ end }}", "empty");
    ok("{{ range $i, $e := fromJson \"[1,2,3,4]\" }}{{ if eq $i 2 }}{{ break }}{{ end }}{{ $e }}{{ end }}", "12");
    ok("{{ range $i, $e := fromJson \"[1,2,3]\" }}{{ if eq $i 1 }}{{ continue }}{{ end }}{{ $e }}{{ end }}", "13");
    ok("{{ range $k, $v := fromJson .j }}{{ $k }}:{{ $v }} {{ end }}", "a:1 b:[true <nil>] c:map[d:x] ",
        "j", "{\"c\":{\"d\":\"x\"},\"b\":[true,null],\"a\":1}");
    ok("{{ $j := fromJson .j }}{{ $j.a.b }}|{{ index $j \"a\" \"b\" }}|{{ $j.missing }}|{{ len $j.a }}", "x|x|<no value>|1",
        "j", "{\"a\":{\"b\":\"x\"}}");
    ok("{{ fromJson \"not json\" }}", "<no value>");
    String nested = "{{ if .a }}{{ if .b }}ab{{ else }}a{{ end }}{{ else if .b }}b{{ else }}none{{ end }}";
    ok(nested, "ab", "a", "1", "b", "1");
    ok(nested, "a", "a", "1");
    ok(nested, "b", "b", "1");
    ok(nested, "none");
    ok("{{ (printf \"%s-%s\" .a .b) | upper }}", "X-Y", "a", "x", "b", "y");
    ok("{{ printf \"%d\" (len .a) }}", "6", "a", "héllo");
    ok("{{ index . \"a\" }}|{{ index . \"zz\" }}", "1|", "a", "1");
    ok("{{ eq .a \"1\" \"2\" }} {{ ne .a \"1\" }} {{ lt 1 2 }} {{ lt \"a\" \"b\" }} {{ ge 2.5 2.5 }} {{ gt 3 2 }} {{ le 3 2 }}",
        "true true true true true true false", "a", "2");
    ok("{{ and 1 0 }}|{{ or 0 \"\" \"x\" }}|{{ not .missing }}|{{ and .a .b }}|{{ .a | or .b }}", "0|x|true|2|2", "a", "1", "b", "2");
    ok("{{ html \"<a href='x'>\" }}|{{ js \"it's <b>\" }}|{{ urlquery \"a b&c\" }}", "&lt;a href=&#39;x&#39;&gt;|it\\'s \\u003Cb\\u003E|a+b%26c");
    ok("{{ print 1 2 \"a\" 3 }}|{{ println \"a\" 1 }}|", "1 2a3|a 1\n|");
    ok("{{ slice \"hello\" 1 3 }}|{{ slice \"hello\" 2 }}", "el|llo");
    ok("{{ 3 }} {{ 3.0 }} {{ 1e6 }} {{ 0x10 }} {{ 'a' }} {{ true }} {{ \"a\\tb\" }} {{ `raw\\n` }} {{ -1_000 }}",
        "3 3 1e+06 16 97 true a\tb raw\\n -1000");
    ok("{{ $ }}|{{ . }}", "map[a:1 b:2]|map[a:1 b:2]", "b", "2", "a", "1");
    ok("{{ divf 1 3 }} {{ addf 0.1 0.2 }} {{ mulf 0.1 3 }} {{ 0.1 }} {{ 123456789.0 }} {{ 100000.0 }}",
        "0.3333333333333333 0.3 0.3 0.1 1.23456789e+08 100000");
    ok("{{ add \"1.5\" 1 }} {{ add \"0x10\" 1 }} {{ int \"010\" }} {{ int \"3.00\" }} {{ float64 \"x\" }} {{ add true 1 }}",
        "1 17 8 3 0 2");
    ok("{{ if not (eq .level \"debug\") }}{{ .msg }}{{ end }}", "hi", "level", "info", "msg", "hi");

    // ---- printf -------------------------------------------------------------------------------
    ok("{{ printf \"%d|%5d|%-5d|%05d|%+d|%x|%X|%#x|%o|%b|%c|%q|%U\" 42 42 42 42 42 255 255 255 8 5 65 65 65 }}",
        "42|   42|42   |00042|+42|ff|FF|0xff|10|101|A|'A'|U+0041");
    ok("{{ printf \"%s|%5s|%-5s|%.1s|%q|%x|% x|%X\" \"hi\" \"hi\" \"hi\" \"hi\" \"a\\\"b\" \"hi\" \"hi\" \"hi\" }}",
        "hi|   hi|hi   |h|\"a\\\"b\"|6869|68 69|6869");
    ok("{{ printf \"%f|%.2f|%8.3f|%e|%g|%G|%v|%.3g|%-8.2f|%+.1f|%08.3f\" 3.14159 3.14159 3.14159 1234.5678 1234.5678 1e21 0.000001 1234.5678 2.5 2.5 -3.14159 }}",
        "3.141590|3.14|   3.142|1.234568e+03|1234.5678|1E+21|1e-06|1.23e+03|2.50    |+2.5|-003.142");
    ok("{{ printf \"%t|%v|%T %T %T %T %T\" true false 1 1.5 \"a\" true (add 1 2) }}", "true|false|int float64 string bool int64");
    ok("{{ printf \"%d\" \"x\" }}|{{ printf \"%s\" 5 }}|{{ printf \"%d\" }}|{{ printf \"a\" 1 }}|{{ printf \"%%\" }}|{{ printf \"%z\" 1 }}",
        "%!d(string=x)|%!s(int=5)|%!d(MISSING)|a%!(EXTRA int=1)|%|%!z(int=1)");
    ok("{{ printf \"%s\" nil }}|{{ printf \"%v\" nil }}|{{ printf \"%.2f\" (float64 .x) }}|{{ printf \"%.2f\" .x }}",
        "%!s(<nil>)|<nil>|3.14|%!f(string=3.)", "x", "3.14159");
    ok("{{ printf \"%6.2f%%\" 12.345 }}|{{ printf \"%*d\" 4 7 }}|{{ printf \"%v %v\" (fromJson \"[1,\\\"a\\\"]\") 2.50 }}",
        " 12.35%|   7|[1 a] 2.5");
    ok("{{ printf \"%.0f %.0f %.1f\" 0.5 1.5 0.25 }}", "0 2 0.2");
    ok("{{ printf \"%[2]s-%[1]s\" \"a\" \"b\" }}|{{ printf \"%[3]d\" 1 }}|{{ printf \"%[1]d %d\" 1 2 }}|{{ printf \"%[1]d\" 1 2 }}",
        "b-a|%!d(BADINDEX)|1 2|1");
    ok("{{ printf \"%05s|%05d|%-05d|%x|%05.1f\" \"ab\" 7 7 -255 -2.25 }}", "   ab|00007|7    |-ff|-02.2");
    err("{{ call .a 1 }}", "template: line:1:3: executing \"line\" at <call .a 1>: error calling call: non-function .a of type string",
        "a", "x");

    // ---- runtime errors ---------------------------------------------------------------------
    err("{{ trunc \"5\" .foo }}", "template: line:1:9: executing \"line\" at <\"5\">: expected integer; found \"5\"");
    err("{{ trunc .n .foo }}", "template: line:1:9: executing \"line\" at <.n>: wrong type for value; expected int; got string",
        "n", "5");
    err("{{ div 1 0 }}", "template: line:1:3: executing \"line\" at <div 1 0>: error calling div: runtime error: integer divide by zero");
    err("{{ regexReplaceAll \"(\" .foo \"x\" }}",
        "template: line:1:3: executing \"line\" at <regexReplaceAll \"(\" ...>: error calling regexReplaceAll: error parsing regexp: missing closing ): `(`");
    err("{{ unixToTime \"abc\" }}",
        "template: line:1:3: executing \"line\" at <unixToTime \"abc\">: error calling unixToTime: unable to parse time 'abc': strconv.ParseInt: parsing \"abc\": invalid syntax");
    err("{{ unixToTime \"464\" }}",
        "template: line:1:3: executing \"line\" at <unixToTime \"464\">: error calling unixToTime: unable to parse time '464': %!w(<nil>)");
    err("{{ urldecode \"%zz\" }}",
        "template: line:1:3: executing \"line\" at <urldecode \"%zz\">: error calling urldecode: invalid URL escape \"%zz\"");
    err("{{ .d | duration }}",
        "template: line:1:8: executing \"line\" at <duration>: error calling duration: time: invalid duration \"xyz\"", "d", "xyz");
    err("{{ 3 | ToUpper }}", "template: line:1:7: executing \"line\" at <ToUpper>: wrong type for value; expected string; got int");
    err("{{ unixEpoch .a }}", "template: line:1:13: executing \"line\" at <.a>: wrong type for value; expected time.Time; got string",
        "a", "x");
    err("{{ eq .a 1 }}", "template: line:1:3: executing \"line\" at <eq .a 1>: error calling eq: incompatible types for comparison",
        "a", "1");
    err("{{ .a.b }}", "template: line:1:5: executing \"line\" at <.a.b>: can't evaluate field b in type string", "a", "x");
    err("{{ nil }}", "template: line:1:3: executing \"line\" at <nil>: nil is not a command");
    err("x\n  {{ trunc 1 .a | lower 2 }}",
        "template: line:2:18: executing \"line\" at <lower>: wrong number of args for lower: want 1 got 2");
    err("{{ trunc (add 1 2) .foo }}", "template: line:1:16: executing \"line\" at <2>: wrong type for value; expected int; got int64");
    err("{{ fromJson \"x\" | lower }}", "template: line:1:18: executing \"line\" at <lower>: invalid value; expected string");
    err("{{ range .a }}{{ end }}", "template: line:1:9: executing \"line\" at <.a>: range can't iterate over x", "a", "x");
    ok("{{ b64dec \"!!\" }}|{{ b64dec \"YWJ\" }}|{{ b64dec \"YWJj\\nZA==\" }}", "illegal base64 data at input byte 0|illegal base64 data at input byte 0|abcd");
  }

  static Stream<Case> cases() {
    return CASES.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rendersLikeGo(Case c) {
    GoTemplate t = GoTemplate.parse(c.template());
    TemplateContext ctx = new TemplateContext(c.labels(), c.ts(), c.line());
    if (c.want().startsWith("ERR ")) {
      assertThatThrownBy(() -> t.execute(ctx)).isInstanceOf(TemplateException.class)
          .hasMessage(c.want().substring(4));
    } else {
      assertThat(t.execute(ctx)).isEqualTo(c.want());
    }
  }

  @Test
  void labelTemplatesReportTheirName() {
    GoTemplate t = GoTemplate.parse(GoTemplate.LABEL, "{{replace \"test\" .foo}}");
    assertThatThrownBy(() -> t.execute(new TemplateContext(Map.of("foo", "blip"), 0, "")))
        .hasMessage("template: label:1:2: executing \"label\" at <replace>: wrong number of args for replace: want 3 got 2");
  }

  @Test
  void nowPrintsAMonotonicReading() {
    String s = GoTemplate.parse("{{ now }}").execute(new TemplateContext(Map.of(), 0, ""));
    assertThat(s).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d+)? \\+0000 UTC m=\\+\\d+\\.\\d{9}");
  }

  static Stream<String[]> parseErrors() {
    return Stream.of(
        new String[] {"{{.foo", "template: line:1: unclosed action"},
        new String[] {"{{ .foo }", "template: line:1: unexpected \"}\" in operand"},
        new String[] {"{{ if .a }}x", "template: line:1: unexpected EOF"},
        new String[] {"{{ end }}", "template: line:1: unexpected {{end}}"},
        new String[] {"{{ else }}", "template: line:1: unexpected {{else}}"},
        new String[] {"{{ foo }}", "template: line:1: function \"foo\" not defined"},
        new String[] {"{{ $x }}", "template: line:1: undefined variable \"$x\""},
        new String[] {"{{ }}", "template: line:1: missing value for command"},
        new String[] {"{{ if }}{{ end }}", "template: line:1: missing value for if"},
        new String[] {"{{ .a | \"x\" }}", "template: line:1: non executable command in pipeline stage 2"},
        new String[] {"{{ \"x\".y }}", "template: line:1: unexpected . after term \"\\\"x\\\"\""},
        new String[] {"{{ break }}", "template: line:1: {{break}} outside {{range}}"},
        new String[] {"{{ 3x }}", "template: line:1: bad number syntax: \"3x\""},
        new String[] {"{{ \"abc }}", "template: line:1: unterminated quoted string"},
        new String[] {"{{ (1 }}", "template: line:1: unclosed left paren"},
        new String[] {"{{ 1) }}", "template: line:1: unexpected \")\" in command"},
        new String[] {"{{/* x }}", "template: line:1: unclosed comment"},
        new String[] {"{{/* x */ }}", "template: line:1: comment ends before closing delimiter"},
        new String[] {"{{ if 1 }}{{ else }}{{ else }}{{ end }}", "template: line:1: expected end; found {{else}}"},
        new String[] {"a\n{{ .x", "template: line:2: unclosed action"},
        new String[] {"{{ .x\n\n", "template: line:3: unclosed action started at line:1"},
        new String[] {"{{ .a.b | 3 }}", "template: line:1: non executable command in pipeline stage 2"},
        new String[] {"{{ range $a, $b, $c := . }}{{ end }}", "template: line:1: too many declarations in range"},
        new String[] {"{{ $a, $b := . }}", "template: line:1: too many declarations in command"},
        new String[] {"{{ .a ! }}", "template: line:1: unexpected \"!\" in operand"});
  }

  @ParameterizedTest
  @MethodSource("parseErrors")
  void parseErrorsUseGoMessages(String template, String message) {
    assertThatThrownBy(() -> GoTemplate.parse(template)).isInstanceOf(TemplateException.class).hasMessage(message);
  }

  @Test
  void deepNestingIsRefusedNotOverflowed() {
    String deep = "{{ " + "(".repeat(5000) + "1" + ")".repeat(5000) + " }}";
    assertThatThrownBy(() -> GoTemplate.parse(deep)).isInstanceOf(TemplateException.class)
        .hasMessage("template: line:1: max expression depth exceeded");
    String ok = "{{ " + "(".repeat(90) + "1" + ")".repeat(90) + " }}";
    assertThat(GoTemplate.parse(ok).execute(new TemplateContext(Map.of(), 0, ""))).isEqualTo("1");
  }

  @Test
  void requiredLabelNamesListsFieldsInOrder() {
    assertThat(GoTemplate.parse("{{ .foo | ToUpper | .buzz }} and {{.bar}}").requiredLabelNames())
        .containsExactly("foo", "buzz", "bar");
    assertThat(GoTemplate.parse("{{with .foo}}{{printf \"%q\" .}} {{else}} {{ .buzz | lower }} {{end}}").requiredLabelNames())
        .containsExactly("foo", "buzz");
  }
}
