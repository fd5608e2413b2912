package io.lodge.querier.pipeline;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads pipeline test tables from {@code src/test/resources/pipeline/*.txt}. A case is a block of
 * {@code key value} lines, blocks separated by blank lines, {@code #} lines are comments:
 * <pre>
 * q       {app="a"} | json          the query (carried over to the next cases when omitted)
 * stream  {app="a"}                 stream labels (carried over too)
 * meta    {trace_id="x"}            structured metadata (default none)
 * line    raw line text             or: lineq "go-quoted line"
 * =line   expected line             or =lineq; default: the input line
 * =stream {app="a"}                 default: the input stream labels
 * =meta   {...}  =parsed {...}      default: none
 * =dropped                          the entry is dropped
 * </pre>
 * Label lists are {@code {name="go-quoted", ...}}; empty values are allowed.
 */
final class PipelineTable {
  /** One case: where it is, the query, the input, and the expected output (null line = dropped). */
  record Case(String where, String query, LabelSet stream, List<Label> meta, String line, boolean dropped,
      String outLine, LabelSet outStream, List<Label> outMeta, List<Label> outParsed) {}

  private PipelineTable() {}

  static List<Case> load(String resource) throws IOException {
    String text;
    try (InputStream in = PipelineTable.class.getResourceAsStream("/pipeline/" + resource)) {
      if (in == null) throw new IOException("missing test table " + resource);
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<Case> out = new ArrayList<>();
    String query = null;
    String stream = "{}";
    List<String[]> block = new ArrayList<>();
    int blockLine = 0;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i <= lines.length; i++) {
      String l = i < lines.length ? lines[i] : "";
      if (l.startsWith("#")) continue;
      if (l.isBlank()) {
        if (!block.isEmpty()) {
          String where = resource + ":" + blockLine;
          String q = value(block, "q");
          if (q != null) query = q;
          String s = value(block, "stream");
          if (s != null) stream = s;
          if (query == null) throw new IOException(where + ": no query");
          out.add(toCase(where, query, stream, block));
          block.clear();
        }
        continue;
      }
      if (block.isEmpty()) blockLine = i + 1;
      int sp = l.indexOf(' ');
      String key = sp < 0 ? l : l.substring(0, sp);
      String val = sp < 0 ? "" : l.substring(sp).replaceFirst("^ +", "");
      block.add(new String[] {key, val});
    }
    return out;
  }

  private static Case toCase(String where, String query, String stream, List<String[]> b) {
    LabelSet in = LabelSet.of(labels(stream));
    String line = value(b, "line");
    if (line == null) line = unquote(value(b, "lineq"));
    if (line == null) line = "";
    boolean dropped = has(b, "=dropped");
    String outLine = value(b, "=line");
    if (outLine == null && value(b, "=lineq") != null) outLine = unquote(value(b, "=lineq"));
    if (outLine == null) outLine = line;
    String os = value(b, "=stream");
    return new Case(where, query, in, labels(orEmpty(value(b, "meta"))), line, dropped, outLine,
        os == null ? in : LabelSet.of(labels(os)), sorted(labels(orEmpty(value(b, "=meta")))),
        sorted(labels(orEmpty(value(b, "=parsed")))));
  }

  private static List<Label> sorted(List<Label> l) {
    List<Label> s = new ArrayList<>(l);
    s.sort(null);
    return s;
  }

  private static String orEmpty(String s) {
    return s == null ? "{}" : s;
  }

  private static boolean has(List<String[]> b, String key) {
    for (String[] kv : b) if (kv[0].equals(key)) return true;
    return false;
  }

  private static String value(List<String[]> b, String key) {
    for (String[] kv : b) if (kv[0].equals(key)) return kv[1];
    return null;
  }

  /** Parses {@code {a="1", b=""}}. */
  static List<Label> labels(String s) {
    List<Label> out = new ArrayList<>();
    String t = s.trim();
    if (!t.startsWith("{") || !t.endsWith("}")) throw new IllegalArgumentException("bad labels: " + s);
    int i = 1;
    int end = t.length() - 1;
    while (i < end) {
      while (i < end && (t.charAt(i) == ' ' || t.charAt(i) == ',')) i++;
      if (i >= end) break;
      int eq = t.indexOf('=', i);
      String name = t.substring(i, eq).trim();
      int q = t.indexOf('"', eq);
      int j = q + 1;
      while (t.charAt(j) != '"') j += t.charAt(j) == '\\' ? 2 : 1;
      out.add(new Label(name, unquote(t.substring(q, j + 1))));
      i = j + 1;
    }
    return out;
  }

  /** Unquotes a Go string literal with the common escapes. */
  static String unquote(String q) {
    if (q == null) return null;
    if (q.length() < 2 || q.charAt(0) != '"' || q.charAt(q.length() - 1) != '"') {
      throw new IllegalArgumentException("not quoted: " + q);
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i < q.length() - 1; i++) {
      char c = q.charAt(i);
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = q.charAt(++i);
      switch (e) {
        case 'n' -> sb.append('\n');
        case 't' -> sb.append('\t');
        case 'r' -> sb.append('\r');
        case '"' -> sb.append('"');
        case '\\' -> sb.append('\\');
        case 'x' -> {
          sb.append((char) Integer.parseInt(q.substring(i + 1, i + 3), 16));
          i += 2;
        }
        case 'u' -> {
          sb.append((char) Integer.parseInt(q.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> throw new IllegalArgumentException("escape \\" + e + " in " + q);
      }
    }
    return sb.toString();
  }
}
