package io.lodge.querier.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.OutputStream;

/**
 * JSON output the way Loki's Go encoder writes it: {@code <}, {@code >} and {@code &} escaped as
 * {@code \u003c}, {@code \u003e}, {@code \u0026}, and U+2028/U+2029 escaped (LOKI-COMPAT 2.4.1).
 */
public final class LokiJson {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final CharacterEscapes GO_ESCAPES = new GoEscapes();

  private LokiJson() {}

  /** A generator over {@code out} with Go's HTML-safe escaping. */
  public static JsonGenerator generator(OutputStream out) throws IOException {
    JsonGenerator g = FACTORY.createGenerator(out);
    g.setCharacterEscapes(GO_ESCAPES);
    return g;
  }

  private static final class GoEscapes extends CharacterEscapes {
    private final int[] asciiEscapes;

    GoEscapes() {
      int[] esc = CharacterEscapes.standardAsciiEscapesForJSON();
      esc['<'] = CharacterEscapes.ESCAPE_CUSTOM;
      esc['>'] = CharacterEscapes.ESCAPE_CUSTOM;
      esc['&'] = CharacterEscapes.ESCAPE_CUSTOM;
      this.asciiEscapes = esc;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return asciiEscapes;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return switch (ch) {
        case '<' -> new SerializedString("\\u003c");
        case '>' -> new SerializedString("\\u003e");
        case '&' -> new SerializedString("\\u0026");
        case 0x2028 -> new SerializedString("\\u2028");
        case 0x2029 -> new SerializedString("\\u2029");
        default -> null;
      };
    }
  }
}
