package io.lodge.server.elasticsearch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.ingester.model.LogEntry;
import io.lodge.ingester.model.PushRequest;
import io.lodge.ingester.model.PushStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decodes an Elasticsearch {@code _bulk} NDJSON body into log entries, one {@link BulkItem} per
 * action. {@code index} and {@code create} take the next line as the document; {@code delete} (no
 * document) and {@code update} (its document line is skipped) are answered with a per-item 400, as
 * Lodge cannot change stored logs. A malformed document gives its item a 400 and the rest goes on; a
 * malformed action line gives an item a 400 too, and the next line is skipped unless it is itself an
 * action, so one bad line never loses the rest of the body.
 *
 * <p>Per document: the line is the first present message field (else the whole document), the time
 * the first present time field (else now), the stream labels the present stream fields (names with
 * {@code .} and other invalid characters as {@code _}), or {@code {job="elasticsearch", index="<index>"}}
 * when there are none; every other field becomes structured metadata named the same way.
 */
public final class BulkDecoder {
  private static final AtomicLong IDS = new AtomicLong(System.currentTimeMillis() << 16);
  static final String JOB = "elasticsearch";

  private final JsonFactory json;

  public BulkDecoder(JsonFactory json) {
    this.json = json;
  }

  /** The decoded body: every item in order, the push request, and which items it holds. */
  public record Decoded(List<BulkItem> items, PushRequest request, int[] pushedItems) {
    public int entryCount() {
      return pushedItems.length;
    }
  }

  /** Decodes {@code body[0, len)}; {@code urlIndex} is the index from the path (or null). */
  public Decoded decode(byte[] body, int len, String urlIndex, BulkOptions options, long nowNanos) {
    List<BulkItem> items = new ArrayList<>();
    Map<LabelSet, List<LogEntry>> streams = new LinkedHashMap<>();
    Map<LabelSet, List<Integer>> streamItems = new LinkedHashMap<>();
    int pos = 0;
    int lineNo = 0;
    Action pending = null;
    while (pos < len) {
      int nl = indexOf(body, pos, len);
      int end = nl < 0 ? len : nl;
      int start = pos;
      pos = nl < 0 ? len : nl + 1;
      lineNo++;
      int e = end;
      while (e > start && (body[e - 1] == '\r' || body[e - 1] == ' ' || body[e - 1] == '\t')) e--;
      int s = start;
      while (s < e && (body[s] == ' ' || body[s] == '\t')) s++;
      if (s == e) continue; // blank lines carry nothing
      if (pending == null) {
        Action a = parseAction(body, s, e - s, lineNo, urlIndex);
        switch (a.name()) {
          case "index", "create" -> {
            if (a.error() == null) {
              pending = a;
            } else {
              items.add(BulkItem.failed(a.name(), a.index(), a.id(), 400, a.errorType(), a.error()));
              pending = new Action(a.name(), null, null, null, null, true); // skip its document
            }
          }
          case "delete" -> items.add(BulkItem.failed("delete", a.index(), a.id(), 400, "illegal_argument_exception",
              "delete is not supported: Lodge stores logs append-only"));
          case "update" -> {
            items.add(BulkItem.failed("update", a.index(), a.id(), 400, "illegal_argument_exception",
                "update is not supported: Lodge stores logs append-only"));
            pending = new Action("update", a.index(), a.id(), null, null, true); // skip its document line
          }
          default -> {
            // malformed: report it; the next line is skipped unless it is an action itself
            items.add(BulkItem.failed("index", a.index(), a.id(), 400, a.errorType(), a.error()));
            pending = new Action("?", null, null, null, null, true);
          }
        }
        continue;
      }
      Action a = pending;
      pending = null;
      if (a.skipDocument()) {
        if (a.name().equals("?") && looksLikeAction(body, s, e - s)) {
          pos = start; // re-read this line as an action
          lineNo--;
        }
        continue;
      }
      String id = a.id() != null ? a.id() : nextId();
      try {
        DocumentFields doc = DocumentFields.parse(json, body, s, e - s);
        LogEntry entry = toEntry(doc, body, s, e - s, options, nowNanos);
        LabelSet labels = streamLabels(doc, options, a.index());
        streams.computeIfAbsent(labels, k -> new ArrayList<>()).add(entry);
        streamItems.computeIfAbsent(labels, k -> new ArrayList<>()).add(items.size());
        items.add(BulkItem.created(a.name(), a.index(), id));
      } catch (JsonProcessingException ex) {
        items.add(BulkItem.failed(a.name(), a.index(), id, 400, "document_parsing_exception",
            "[" + lineNo + ":" + ex.getLocation().getColumnNr() + "] failed to parse: " + ex.getOriginalMessage()));
      } catch (IOException | IllegalArgumentException ex) {
        items.add(BulkItem.failed(a.name(), a.index(), id, 400, "document_parsing_exception",
            "[" + lineNo + "] failed to parse: " + ex.getMessage()));
      }
    }
    if (pending != null && !pending.skipDocument()) {
      items.add(BulkItem.failed(pending.name(), pending.index(), pending.id(), 400, "illegal_argument_exception",
          "the " + pending.name() + " action on the last line has no document"));
    }
    List<PushStream> push = new ArrayList<>(streams.size());
    int[] pushed = new int[items.size()];
    int n = 0;
    for (Map.Entry<LabelSet, List<LogEntry>> s : streams.entrySet()) {
      push.add(new PushStream(s.getKey(), s.getValue()));
      for (int i : streamItems.get(s.getKey())) pushed[n++] = i;
    }
    return new Decoded(items, new PushRequest(push), java.util.Arrays.copyOf(pushed, n));
  }

  /** One action line; {@code name} is "malformed" when it could not be read ({@code error} says why). */
  private record Action(String name, String index, String id, String errorType, String error, boolean skipDocument) {}

  private Action parseAction(byte[] b, int off, int len, int lineNo, String urlIndex) {
    try (JsonParser p = json.createParser(b, off, len)) {
      if (p.nextToken() != JsonToken.START_OBJECT || p.nextToken() != JsonToken.FIELD_NAME) {
        return malformed(lineNo, "expected START_OBJECT with an action name");
      }
      String name = p.currentName();
      if (!Set.of("index", "create", "delete", "update").contains(name)) {
        return malformed(lineNo, "expected one of [create, delete, index, update] but found [" + name + "]");
      }
      if (p.nextToken() != JsonToken.START_OBJECT) return malformed(lineNo, "expected START_OBJECT after " + name);
      String index = urlIndex;
      String id = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String k = p.currentName();
        JsonToken v = p.nextToken();
        if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
          p.skipChildren();
        } else if (k.equals("_index") && v != JsonToken.VALUE_NULL) {
          index = p.getText();
        } else if (k.equals("_id") && v != JsonToken.VALUE_NULL) {
          id = p.getText();
        }
      }
      if (p.nextToken() != JsonToken.END_OBJECT) return malformed(lineNo, "expected END_OBJECT after the " + name + " metadata");
      if (p.nextToken() != null) return malformed(lineNo, "unexpected content after the action");
      if (index == null || index.isEmpty()) {
        return new Action(name, null, id, "action_request_validation_exception",
            "Validation Failed: 1: index is missing;", false);
      }
      return new Action(name, index, id, null, null, false);
    } catch (IOException e) {
      return malformed(lineNo, e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage());
    }
  }

  private static Action malformed(int lineNo, String why) {
    return new Action("malformed", null, null, "illegal_argument_exception",
        "Malformed action/metadata line [" + lineNo + "], " + why, true);
  }

  private boolean looksLikeAction(byte[] b, int off, int len) {
    Action a = parseAction(b, off, len, 0, "x");
    return !a.name().equals("malformed");
  }

  private static LogEntry toEntry(DocumentFields doc, byte[] b, int off, int len, BulkOptions options, long nowNanos) {
    DocumentFields.Field msg = doc.first(options.msgFields());
    DocumentFields.Field time = doc.first(options.timeFields());
    long ts = time == null || time.value().isEmpty() ? nowNanos : EsTimestamps.parseNanos(time.value(), time.number());
    if (msg == null) {
      // no message field: the document itself is the line (readable with LogQL's json parser)
      return new LogEntry(ts, java.util.Arrays.copyOfRange(b, off, off + len), List.of());
    }
    Set<String> used = new HashSet<>(options.streamFields());
    used.add(msg.path());
    if (time != null) used.add(time.path());
    List<Label> metadata = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (DocumentFields.Field f : doc.fields()) {
      if (used.contains(f.path())) continue;
      String name = labelName(f.path());
      if (names.add(name)) metadata.add(new Label(name, f.value()));
    }
    return new LogEntry(ts, msg.value().getBytes(StandardCharsets.UTF_8), metadata);
  }

  private static LabelSet streamLabels(DocumentFields doc, BulkOptions options, String index) {
    List<Label> labels = new ArrayList<>();
    for (String path : options.streamFields()) {
      DocumentFields.Field f = doc.first(List.of(path));
      if (f != null && !f.value().isEmpty()) labels.add(new Label(labelName(path), f.value()));
    }
    if (labels.isEmpty()) return LabelSet.of("job", JOB, "index", index);
    return LabelSet.of(labels);
  }

  /** A field path as a label name: every character outside {@code [a-zA-Z0-9_]} becomes {@code _}. */
  static String labelName(String path) {
    StringBuilder sb = new StringBuilder(path.length() + 1);
    for (int i = 0; i < path.length(); i++) {
      char ch = path.charAt(i);
      boolean ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_';
      sb.append(ok ? ch : '_');
    }
    if (sb.isEmpty() || Character.isDigit(sb.charAt(0))) sb.insert(0, '_');
    return sb.toString();
  }

  private static int indexOf(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) if (b[i] == '\n') return i;
    return -1;
  }

  private static String nextId() {
    return Long.toString(IDS.incrementAndGet(), 36);
  }
}
