package io.lodge.ingester.validate;

import io.lodge.ingester.model.Label;
import java.util.ArrayList;
import java.util.List;

/**
 * Ingest-time clean-up of structured metadata (LOKI-COMPAT 1.6 item 3), applied to accepted entries:
 * names get Prometheus' OTLP normalisation (every char that is not a Unicode letter or digit becomes
 * {@code _}; a leading ASCII digit gets prefix {@code key_}; a leading single {@code _} gets prefix
 * {@code key}); in values every invalid UTF-8 sequence (already U+FFFD or a lone surrogate once decoded)
 * and every literal U+FFFD becomes a space.
 */
public final class MetadataNormalizer {
  private MetadataNormalizer() {}

  /** The normalised list, or {@code metadata} itself when nothing changes (the common case: no copy). */
  public static List<Label> normalize(List<Label> metadata) {
    List<Label> out = null;
    for (int i = 0; i < metadata.size(); i++) {
      Label l = metadata.get(i);
      String name = normalizeName(l.name());
      String value = cleanValue(l.value());
      if (out == null && (name != l.name() || value != l.value())) {
        out = new ArrayList<>(metadata.size());
        out.addAll(metadata.subList(0, i));
      }
      if (out != null) out.add(name == l.name() && value == l.value() ? l : new Label(name, value));
    }
    return out == null ? metadata : List.copyOf(out);
  }

  /** A structured-metadata name as Loki stores it; returns {@code name} itself when already normal. */
  public static String normalizeName(String name) {
    if (name.isEmpty()) return name;
    boolean clean = true;
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      if (cp != '_' && !isLetterOrDigit(cp, name, i)) { // '_' maps to itself
        clean = false;
        break;
      }
      i += Character.charCount(cp);
    }
    String s = name;
    if (!clean) {
      StringBuilder sb = new StringBuilder(name.length());
      for (int i = 0; i < name.length(); ) {
        int cp = name.codePointAt(i);
        if (isLetterOrDigit(cp, name, i)) sb.appendCodePoint(cp);
        else sb.append('_');
        i += Character.charCount(cp);
      }
      s = sb.toString();
    }
    char c0 = s.charAt(0);
    if (c0 >= '0' && c0 <= '9') return "key_" + s;
    if (c0 == '_' && (s.length() == 1 || s.charAt(1) != '_')) return "key" + s;
    return s;
  }

  /** A value with invalid UTF-8 and U+FFFD replaced by spaces; returns {@code value} itself when clean. */
  public static String cleanValue(String value) {
    int n = value.length();
    int i = 0;
    while (i < n && !isBad(value, i)) i++;
    if (i == n) return value;
    char[] a = value.toCharArray();
    for (; i < n; i++) {
      if (isBad(value, i)) {
        a[i] = ' ';
      } else if (Character.isHighSurrogate(a[i])) {
        i++; // a valid pair: keep both halves
      }
    }
    return new String(a);
  }

  private static boolean isLetterOrDigit(int cp, String s, int i) {
    // a lone surrogate is an invalid rune to Go (RuneError), which is neither a letter nor a digit
    if (Character.isSurrogate(s.charAt(i)) && Character.charCount(cp) == 1) return false;
    return Character.isLetter(cp) || Character.isDigit(cp);
  }

  /** True at a U+FFFD or a lone surrogate; false at a valid pair's high half (and its low half is never asked). */
  private static boolean isBad(String s, int i) {
    char c = s.charAt(i);
    if (c == '\uFFFD') return true;
    if (Character.isHighSurrogate(c)) return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    if (Character.isLowSurrogate(c)) return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
    return false;
  }
}
