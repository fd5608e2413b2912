package io.lodge.querier.pipeline;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The labels of one entry while it runs through a pipeline, in Loki's three categories (LOKI-COMPAT
 * 3.10): stream labels &lt; structured metadata &lt; parsed. A name lives in one category only: setting a
 * parsed label removes the name from the lower ones, which is what "hides" means in Loki. The error
 * labels are held apart and reported as parsed labels. One builder per stream, reset for every entry;
 * not thread-safe.
 */
public final class LabelsBuilder {
  /** Suffix for a parsed or metadata key that collides with a stream label. */
  public static final String DUPLICATE_SUFFIX = "_extracted";

  private final LabelSet base;
  private final LabelList stream = new LabelList();
  private final LabelList metadata = new LabelList();
  private final LabelList parsed = new LabelList();
  private boolean streamChanged;
  private String error = "";
  private String errorDetails = "";

  public LabelsBuilder(LabelSet streamLabels) {
    this.base = streamLabels;
  }

  /** Starts a new entry: the stream labels and the entry's metadata (keys clashing with stream labels renamed). */
  public void reset(List<Label> structuredMetadata) {
    if (streamChanged || stream.size() != base.size()) {
      stream.clear();
      for (int i = 0; i < base.size(); i++) stream.set(base.get(i).name(), base.get(i).value());
      streamChanged = false;
    }
    metadata.clear();
    parsed.clear();
    error = "";
    errorDetails = "";
    for (Label l : structuredMetadata) {
      String name = baseHas(l.name()) ? l.name() + DUPLICATE_SUFFIX : l.name();
      metadata.set(name, l.value());
    }
  }

  /** The stream labels the entry came with, before any stage ran. */
  public LabelSet streamLabels() {
    return base;
  }

  /** Whether the original stream labels have {@code name} (decides the {@code _extracted} suffix). */
  public boolean baseHas(String name) {
    return base.get(name) != null;
  }

  /** The parser's key for {@code key}: suffixed with {@code _extracted} when a stream label has that name. */
  public String parsedKey(String key) {
    return baseHas(key) ? key + DUPLICATE_SUFFIX : key;
  }

  /** The current value of {@code name} (parsed over metadata over stream, error labels included), or null. */
  public String get(String name) {
    if (ErrorLabels.ERROR.equals(name)) return error.isEmpty() ? null : error;
    if (ErrorLabels.DETAILS.equals(name)) return errorDetails.isEmpty() ? null : errorDetails;
    String v = parsed.get(name);
    if (v != null) return v;
    v = metadata.get(name);
    return v != null ? v : stream.get(name);
  }

  /** Sets a parsed label, hiding (removing) the name from metadata and stream labels. */
  public void set(String name, String value) {
    if (ErrorLabels.ERROR.equals(name)) {
      error = value;
      return;
    }
    if (ErrorLabels.DETAILS.equals(name)) {
      errorDetails = value;
      return;
    }
    metadata.remove(name);
    if (stream.remove(name)) streamChanged = true;
    parsed.set(name, value);
  }

  /**
   * Sets a label found by an implicit parser (json, logfmt, regexp, pattern, unpack): it does not
   * overwrite a name already held as structured metadata or set by an earlier stage (first value wins).
   */
  public void setIfAbsent(String name, String value) {
    if (parsed.indexOf(name) >= 0 || metadata.indexOf(name) >= 0) return;
    set(name, value);
  }

  /** Removes {@code name} from every category (the error labels included). */
  public void delete(String name) {
    if (ErrorLabels.ERROR.equals(name)) {
      error = "";
      return;
    }
    if (ErrorLabels.DETAILS.equals(name)) {
      errorDetails = "";
      return;
    }
    parsed.remove(name);
    metadata.remove(name);
    if (stream.remove(name)) streamChanged = true;
  }

  public boolean hasError() {
    return !error.isEmpty();
  }

  public String error() {
    return error;
  }

  public void setError(String error) {
    this.error = error;
  }

  public void setErrorDetails(String details) {
    this.errorDetails = details;
  }

  /** Sets an error only when none is set yet (label filters). */
  public void setErrorIfAbsent(String error, String details) {
    if (hasError()) return;
    this.error = error;
    this.errorDetails = details;
  }

  /** The names of all current labels, error labels last. */
  public List<String> names() {
    List<String> out = new ArrayList<>(stream.size() + metadata.size() + parsed.size() + 2);
    for (int i = 0; i < stream.size(); i++) out.add(stream.name(i));
    for (int i = 0; i < metadata.size(); i++) out.add(metadata.name(i));
    for (int i = 0; i < parsed.size(); i++) out.add(parsed.name(i));
    if (!error.isEmpty()) out.add(ErrorLabels.ERROR);
    if (!errorDetails.isEmpty()) out.add(ErrorLabels.DETAILS);
    return out;
  }

  /** A snapshot of all current labels by name (what templates see). */
  public Map<String, String> map() {
    Map<String, String> m = new HashMap<>(2 * (stream.size() + metadata.size() + parsed.size() + 2));
    for (int i = 0; i < stream.size(); i++) m.put(stream.name(i), stream.value(i));
    for (int i = 0; i < metadata.size(); i++) m.put(metadata.name(i), metadata.value(i));
    for (int i = 0; i < parsed.size(); i++) m.put(parsed.name(i), parsed.value(i));
    if (!error.isEmpty()) m.put(ErrorLabels.ERROR, error);
    if (!errorDetails.isEmpty()) m.put(ErrorLabels.DETAILS, errorDetails);
    return m;
  }

  /** The entry's labels by category, with the error labels among the parsed ones. */
  public PipelineResult result(byte[] line) {
    LabelSet streamOut = base;
    if (streamChanged) {
      List<Label> l = new ArrayList<>(stream.size());
      for (int i = 0; i < stream.size(); i++) l.add(new Label(stream.name(i), stream.value(i)));
      streamOut = LabelSet.of(l);
    }
    return new PipelineResult(line, streamOut, sorted(metadata, false), sorted(parsed, true));
  }

  private List<Label> sorted(LabelList list, boolean withErrors) {
    int extra = withErrors ? (error.isEmpty() ? 0 : 1) + (errorDetails.isEmpty() ? 0 : 1) : 0;
    if (list.size() + extra == 0) return List.of();
    List<Label> out = new ArrayList<>(list.size() + extra);
    for (int i = 0; i < list.size(); i++) out.add(new Label(list.name(i), list.value(i)));
    if (withErrors) {
      if (!error.isEmpty()) out.add(new Label(ErrorLabels.ERROR, error));
      if (!errorDetails.isEmpty()) out.add(new Label(ErrorLabels.DETAILS, errorDetails));
    }
    out.sort(null);
    return out;
  }
}
