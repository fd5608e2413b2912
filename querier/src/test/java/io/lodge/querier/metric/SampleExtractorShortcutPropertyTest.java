package io.lodge.querier.metric;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.querier.logql.LogqlParser;
import io.lodge.querier.logql.ast.RangeAggregationExpr;
import io.lodge.querier.logql.ast.VectorAggregationExpr;
import io.lodge.querier.pipeline.PipelineResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The by-grouping shortcut of {@link SampleExtractor} (series cached by the values of the by-labels)
 * against its general path (merge all labels, drop the unwrapped one, group), entry after entry, on
 * random label lists: names in several categories and repeated, {@code __error__} from parsers, unwrapped
 * values that convert or not or are empty, by-lists naming the unwrapped label or {@code __error__},
 * filters after the unwrap on {@code __error__} only (the shortcut applies) or on other labels.
 */
class SampleExtractorShortcutPropertyTest {
  private static final String[] NAMES = {"a", "b", "lat", "c", "__error__"};
  private static final String[] VALUES = {"x", "y", "", "1", "2ms", "1.5", "-3s", "7KB", "nan"};

  @Property(tries = 600)
  void shortcutGivesTheGeneralPathsSeriesAndValues(@ForAll long seed) {
    Random rnd = new Random(seed);
    String by = "";
    for (String n : NAMES) if (rnd.nextInt(3) == 0) by += (by.isEmpty() ? "" : ", ") + n;
    String conversion = new String[] {"lat", "duration(lat)", "bytes(lat)"}[rnd.nextInt(3)];
    String query;
    RangeAggregationExpr range;
    int kind = rnd.nextInt(3);
    if (kind == 0) {
      String postFilter = new String[] {"", "", " | __error__=\"\"", " | __error__!=\"SampleExtractionErr\"",
          " | __error__=~\"Sample.*\"", " | __error__=\"\" or __error__=\"x\"", " | a=\"x\"", " | lat > 1",
          " | __error__=\"\" and b!=\"y\""}[rnd.nextInt(9)];
      query = "max_over_time({a=\"x\"} | unwrap " + conversion + postFilter + " [1m]) by (" + by + ")";
      range = (RangeAggregationExpr) LogqlParser.parse(query);
    } else {
      String fn = kind == 1 ? "count_over_time" : "bytes_over_time";
      query = "sum by (" + by + ") (" + fn + "({a=\"x\"} [1m]))";
      range = (RangeAggregationExpr) ((VectorAggregationExpr) LogqlParser.parse(query)).inner();
    }
    var grouping = kind == 0 ? range.grouping() : ((VectorAggregationExpr) LogqlParser.parse(query)).grouping();
    boolean errorsDropLabels = kind != 0 && rnd.nextBoolean();
    SampleExtractor fast = new SampleExtractor(range.op(), range.range(), grouping, errorsDropLabels, true);
    SampleExtractor general = new SampleExtractor(range.op(), range.range(), grouping, errorsDropLabels, false);
    for (int i = 0; i < 60; i++) {
      PipelineResult r = new PipelineResult(("line" + i).repeat(rnd.nextInt(3)).getBytes(java.nio.charset.StandardCharsets.UTF_8),
          stream(rnd), labels(rnd, 2), labels(rnd, 3));
      boolean f = fast.extract(r);
      boolean g = general.extract(r);
      assertThat(f).as("%s on %s", query, r).isEqualTo(g);
      if (!f) continue;
      assertThat(fast.series().toString()).as("%s on %s", query, r).isEqualTo(general.series().toString());
      assertThat(fast.series()).isEqualTo(general.series());
      assertThat(Double.doubleToRawLongBits(fast.value())).as("%s on %s", query, r)
          .isEqualTo(Double.doubleToRawLongBits(general.value()));
    }
  }

  /** Stream labels: distinct names, never {@code __error__} (Loki rejects such streams at push). */
  private static LabelSet stream(Random rnd) {
    List<Label> out = new ArrayList<>();
    for (int i = 0; i < NAMES.length - 1; i++) {
      if (rnd.nextBoolean()) out.add(new Label(NAMES[i], VALUES[rnd.nextInt(VALUES.length)]));
    }
    return LabelSet.of(out);
  }

  private static List<Label> labels(Random rnd, int max) {
    List<Label> out = new ArrayList<>();
    int n = rnd.nextInt(max + 1);
    for (int i = 0; i < n; i++) {
      out.add(new Label(NAMES[rnd.nextInt(NAMES.length)], VALUES[rnd.nextInt(VALUES.length)]));
    }
    return out;
  }
}
