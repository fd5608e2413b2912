package io.lodge.querier.pipeline.parser;

import io.lodge.querier.pipeline.LabelsBuilder;
import io.lodge.querier.pipeline.PatternTokens;
import io.lodge.querier.pipeline.StageProcessor;
import io.lodge.querier.pipeline.filter.ContainsFilter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code | pattern "<ip> - <_> <status>"} (LOKI-COMPAT 3.5): a leading literal must start the line
 * (else nothing is extracted); each capture runs to the next occurrence of the following literal; the
 * last capture takes the rest of the line; when a literal is missing, the capture before it takes the
 * rest and matching stops. Implicit parser.
 */
public final class PatternParser implements StageProcessor {
  private final List<PatternTokens.Token> tokens;

  public PatternParser(String pattern) {
    this.tokens = PatternTokens.split(pattern);
  }

  @Override
  public byte[] process(long timestampNanos, byte[] line, LabelsBuilder labels) {
    if (line.length == 0 || tokens.isEmpty()) return line;
    int pos = 0;
    int t = 0;
    PatternTokens.Token first = tokens.get(0);
    if (!first.capture()) {
      if (!startsWith(line, first.literal())) return line;
      pos = first.literal().length;
      t = 1;
    }
    while (t < tokens.size()) {
      PatternTokens.Token cap = tokens.get(t);
      if (t == tokens.size() - 1) {
        emit(labels, cap, line, pos, line.length);
        return line;
      }
      byte[] lit = tokens.get(t + 1).literal();
      int i = ContainsFilter.indexOf(line, lit, pos);
      if (i < 0) {
        emit(labels, cap, line, pos, line.length);
        return line;
      }
      emit(labels, cap, line, pos, i);
      pos = i + lit.length;
      t += 2;
    }
    return line;
  }

  private static void emit(LabelsBuilder labels, PatternTokens.Token cap, byte[] line, int from, int to) {
    if (cap.name() == null) return;
    labels.setIfAbsent(labels.parsedKey(cap.name()), new String(line, from, to - from, StandardCharsets.UTF_8));
  }

  private static boolean startsWith(byte[] line, byte[] lit) {
    if (lit.length > line.length) return false;
    for (int i = 0; i < lit.length; i++) if (line[i] != lit[i]) return false;
    return true;
  }
}
