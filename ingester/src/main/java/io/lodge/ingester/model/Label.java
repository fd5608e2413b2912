package io.lodge.ingester.model;

import java.util.Objects;

/** One label: a name and a value, both non-null. */
public record Label(String name, String value) implements Comparable<Label> {
  public Label {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }

  @Override
  public int compareTo(Label o) {
    int c = name.compareTo(o.name);
    return c != 0 ? c : value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return name + "=" + GoQuote.quote(value);
  }
}
