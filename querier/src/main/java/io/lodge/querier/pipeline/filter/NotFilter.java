package io.lodge.querier.pipeline.filter;

/** The negation of a filter ({@code !=}, {@code !~}, {@code !>}). */
public record NotFilter(LineFilter inner) implements LineFilter {
  @Override
  public boolean matches(byte[] line) {
    return !inner.matches(line);
  }

  @Override
  public int cost() {
    return inner.cost();
  }
}
