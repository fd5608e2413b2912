package io.lodge.querier.pipeline;

/** The {@code __error__} label, its details label and the error values stages set (LOKI-COMPAT 3.9). */
public final class ErrorLabels {
  public static final String ERROR = "__error__";
  public static final String DETAILS = "__error_details__";
  public static final String JSON = "JSONParserErr";
  public static final String LOGFMT = "LogfmtParserErr";
  public static final String LABEL_FILTER = "LabelFilterErr";
  public static final String TEMPLATE = "TemplateFormatErr";
  public static final String SAMPLE_EXTRACTION = "SampleExtractionErr";

  private ErrorLabels() {}

  /** True for the two labels {@code keep} never removes. */
  public static boolean isErrorLabel(String name) {
    return ERROR.equals(name) || DETAILS.equals(name);
  }
}
