package io.lodge.querier.pipeline;

import io.lodge.querier.logql.ParseException;
import io.lodge.querier.logql.StageChecks;
import io.lodge.querier.logql.ast.DecolorizeStage;
import io.lodge.querier.logql.ast.DropStage;
import io.lodge.querier.logql.ast.Extraction;
import io.lodge.querier.logql.ast.JsonParserStage;
import io.lodge.querier.logql.ast.KeepStage;
import io.lodge.querier.logql.ast.LabelFilterStage;
import io.lodge.querier.logql.ast.LabelFormatStage;
import io.lodge.querier.logql.ast.LineFilterExpr;
import io.lodge.querier.logql.ast.LineFormatStage;
import io.lodge.querier.logql.ast.LogfmtParserStage;
import io.lodge.querier.logql.ast.PatternParserStage;
import io.lodge.querier.logql.ast.RegexpParserStage;
import io.lodge.querier.logql.ast.Stage;
import io.lodge.querier.logql.ast.UnpackStage;
import io.lodge.querier.pipeline.filter.AllOfFilter;
import io.lodge.querier.pipeline.filter.LineFilter;
import io.lodge.querier.pipeline.filter.LineFilterStage;
import io.lodge.querier.pipeline.filter.LineFilters;
import io.lodge.querier.pipeline.filter.TrueFilter;
import io.lodge.querier.pipeline.format.Decolorizer;
import io.lodge.querier.pipeline.format.DropLabels;
import io.lodge.querier.pipeline.format.KeepLabels;
import io.lodge.querier.pipeline.format.LabelFormatter;
import io.lodge.querier.pipeline.format.LineFormatter;
import io.lodge.querier.pipeline.label.LabelFilters;
import io.lodge.querier.pipeline.parser.JsonExpressionParser;
import io.lodge.querier.pipeline.parser.JsonParser;
import io.lodge.querier.pipeline.parser.JsonPath;
import io.lodge.querier.pipeline.parser.LogfmtExpressionParser;
import io.lodge.querier.pipeline.parser.LogfmtParser;
import io.lodge.querier.pipeline.parser.PatternParser;
import io.lodge.querier.pipeline.parser.RegexpParser;
import io.lodge.querier.pipeline.parser.UnpackParser;
import io.lodge.querier.template.GoTemplate;
import io.lodge.querier.template.TemplateException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns AST stages into {@link StageProcessor}s. Line filters move as Loki 3.4.6 moves them (LOKI-COMPAT
 * 3.4): every run of line filters is pulled forward, combined, to just after the previous barrier
 * (a label filter, {@code line_format} or {@code unpack}); nothing else stops them. Build-time errors
 * are 400s: {@code parse error : stage '<stage>' : <reason>}.
 */
final class StageCompiler {
  private StageCompiler() {}

  /** One stretch between barriers: its line filters (run first) and its other stages in order. */
  private record Segment(List<LineFilter> filters, List<StageProcessor> stages) {}

  static List<StageProcessor> compile(List<Stage> stages) {
    List<Segment> segments = new ArrayList<>();
    Segment cur = new Segment(new ArrayList<>(), new ArrayList<>());
    segments.add(cur);
    for (Stage stage : stages) {
      StageChecks.check(stage);
      if (stage instanceof LineFilterExpr f) {
        LineFilter lf = LineFilters.compile(f);
        if (lf != TrueFilter.INSTANCE) cur.filters().add(lf);
        continue;
      }
      cur.stages().add(build(stage));
      if (isBarrier(stage)) {
        cur = new Segment(new ArrayList<>(), new ArrayList<>());
        segments.add(cur);
      }
    }
    List<StageProcessor> out = new ArrayList<>();
    for (Segment s : segments) {
      if (s.filters().size() == 1) out.add(new LineFilterStage(s.filters().get(0)));
      else if (!s.filters().isEmpty()) out.add(new LineFilterStage(new AllOfFilter(s.filters())));
      out.addAll(s.stages());
    }
    return out;
  }

  static boolean isBarrier(Stage s) {
    return s instanceof LabelFilterStage || s instanceof LineFormatStage || s instanceof UnpackStage;
  }

  private static StageProcessor build(Stage stage) {
    try {
      return switch (stage) {
        case LabelFilterStage l -> new io.lodge.querier.pipeline.label.LabelFilterStage(LabelFilters.compile(l.filter()));
        case JsonParserStage j -> json(j);
        case LogfmtParserStage l -> logfmt(l);
        case RegexpParserStage r -> new RegexpParser(r.regex());
        case PatternParserStage p -> new PatternParser(p.pattern());
        case UnpackStage u -> new UnpackParser();
        case LineFormatStage f -> new LineFormatter(template(GoTemplate.LINE, f.template(), "invalid line template: "));
        case LabelFormatStage f -> labelFormat(f);
        case DropStage d -> new DropLabels(d.items());
        case KeepStage k -> new KeepLabels(k.items());
        case DecolorizeStage d -> new Decolorizer();
        case LineFilterExpr f -> throw new IllegalStateException("line filters are compiled apart: " + f);
      };
    } catch (BuildException e) {
      throw ParseException.noPosition("stage '" + stage + "' : " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw ParseException.noPosition("stage '" + stage + "' : " + e.getMessage());
    }
  }

  private static StageProcessor json(JsonParserStage j) {
    if (j.extractions().isEmpty()) return new JsonParser();
    List<String> names = new ArrayList<>();
    List<List<Object>> paths = new ArrayList<>();
    for (Extraction e : j.extractions()) {
      names.add(e.label());
      try {
        paths.add(JsonPath.parse(e.expression()));
      } catch (IllegalArgumentException ex) {
        throw new BuildException("cannot parse expression [" + e.expression() + "]: " + ex.getMessage());
      }
    }
    return new JsonExpressionParser(names, paths);
  }

  private static StageProcessor logfmt(LogfmtParserStage l) {
    if (l.extractions().isEmpty()) return new LogfmtParser(l.strict(), l.keepEmpty());
    List<String> names = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (Extraction e : l.extractions()) {
      String bad = LogfmtExpressionParser.checkKey(e.expression());
      if (bad != null) throw new BuildException("cannot parse expression [" + e.expression() + "]: " + bad);
      names.add(e.label());
      keys.add(e.expression());
    }
    return new LogfmtExpressionParser(names, keys, l.strict(), l.keepEmpty());
  }

  private static StageProcessor labelFormat(LabelFormatStage f) {
    List<LabelFormatter.Item> items = new ArrayList<>();
    for (LabelFormatStage.Item i : f.items()) {
      if (i.rename()) {
        items.add(new LabelFormatter.Item(i.name(), i.value(), null));
      } else {
        items.add(new LabelFormatter.Item(i.name(), null,
            template(GoTemplate.LABEL, i.value(), "invalid template for label '" + i.name() + "': ")));
      }
    }
    return new LabelFormatter(items);
  }

  /** Parses a template named as Loki names it ({@code line} or {@code label}), which shows in its errors. */
  private static GoTemplate template(String name, String text, String prefix) {
    try {
      return GoTemplate.parse(name, text);
    } catch (TemplateException e) {
      throw new BuildException(prefix + e.getMessage());
    }
  }

  /** A stage that cannot be built; the message is Loki's reason. */
  private static final class BuildException extends RuntimeException {
    BuildException(String message) {
      super(message, null, false, false);
    }
  }
}
