package io.lodge.querier.pipeline.filter;

import io.lodge.querier.pipeline.PatternTokens;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code |> "<_> GET <_>"} (LOKI-COMPAT 3.4): the literals appear in order, each found at its first
 * occurrence after the previous one; a {@code <_>} before a literal (other than the first token) must
 * cover at least one byte; the first literal is not anchored; a trailing literal must end the line and
 * a trailing {@code <_>} must leave at least one byte; the empty pattern matches only the empty line.
 */
public final class PatternFilter implements LineFilter {
  private final byte[][] literals;
  /** For each literal, whether it is the pattern's first token (then it may match at offset 0). */
  private final boolean[] firstToken;
  private final boolean endsWithCapture;
  private final boolean empty;

  public PatternFilter(String pattern) {
    List<PatternTokens.Token> tokens = PatternTokens.split(pattern);
    List<byte[]> lits = new ArrayList<>();
    List<Boolean> first = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      if (tokens.get(i).capture()) continue;
      lits.add(tokens.get(i).literal());
      first.add(i == 0);
    }
    this.literals = lits.toArray(new byte[0][]);
    this.firstToken = new boolean[first.size()];
    for (int i = 0; i < first.size(); i++) firstToken[i] = first.get(i);
    this.empty = tokens.isEmpty();
    this.endsWithCapture = !empty && tokens.get(tokens.size() - 1).capture();
  }

  @Override
  public boolean matches(byte[] line) {
    if (line.length == 0 || empty) return line.length == 0 && empty;
    int off = 0;
    for (int k = 0; k < literals.length; k++) {
      int j = ContainsFilter.indexOf(line, literals[k], off);
      if (j < 0) return false;
      if (!firstToken[k] && j == off) return false;
      off = j + literals[k].length;
    }
    boolean remainder = off < line.length;
    return endsWithCapture == remainder;
  }

  @Override
  public int cost() {
    return 2;
  }
}
