package io.lodge.querier.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lodge.ingester.model.Label;
import io.lodge.ingester.model.LabelSet;
import io.lodge.querier.logql.LogqlParser;
import io.lodge.querier.logql.ParseException;
import io.lodge.querier.logql.ast.LogQuery;
import io.lodge.querier.pipeline.filter.LineFilterStage;
import io.lodge.querier.template.GoTemplate;
import io.lodge.querier.template.TemplateException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Building pipelines: refusals with Loki's messages, stage order after reordering, the no-op pipeline. */
class PipelinesTest {
  private static Pipeline compile(String query) {
    return Pipelines.compile(((LogQuery) LogqlParser.parse(query)).stages());
  }

  private static String buildError(String query) {
    try {
      compile(query);
    } catch (ParseException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a build error for " + query);
  }

  @Test
  void stagesLokiRefusesToBuildAre400ParseErrors() {
    assertThat(buildError("{app=\"foo\"} |~ ip(\"127.0.0.1\")"))
        .isEqualTo("parse error : stage '|~ ip(\"127.0.0.1\")' : ip: invalid operation");
    assertThat(buildError("{app=\"foo\"} | label_format foo=bar,foo=\"new\""))
        .isEqualTo("parse error : stage '| label_format foo=bar,foo=\"new\"' : multiple label name 'foo' not allowed in a single format operation");
    assertThat(buildError("{app=\"foo\"} |> \"<foo> bar\""))
        .isEqualTo("parse error : stage '|> \"<foo> bar\"' : named captures are not allowed: found '<foo>'");
    assertThat(buildError("{app=\"foo\"} |~ \"(unclosed\"")).startsWith("parse error : stage '|~ \"(unclosed\"' : error parsing regexp: missing closing )");
    assertThat(buildError("{app=\"foo\"} | logfmt code=\"response.code\""))
        .isEqualTo("parse error : stage '| logfmt code=\"response.code\"' : cannot parse expression [response.code]: unexpected char .");
  }

  @Test
  void invalidTemplatesAreRefusedWithTheTemplateMessage() {
    String msg = buildError("{app=\"foo\"} | line_format \"{{.foo\"");
    assertThat(msg).startsWith("parse error : stage '| line_format \"{{.foo\"' : invalid line template: ");
    assertThat(msg).endsWith(templateError("{{.foo"));
    String lf = buildError("{app=\"foo\"} | label_format c=\"{{.foo\"");
    assertThat(lf).startsWith("parse error : stage '| label_format c=\"{{.foo\"' : invalid template for label 'c': ");
  }

  private static String templateError(String text) {
    try {
      GoTemplate.parse(text);
    } catch (TemplateException e) {
      return e.getMessage();
    }
    throw new AssertionError("template should not parse: " + text);
  }

  @Test
  void lineFiltersMoveToJustAfterThePreviousBarrier() {
    CompiledPipeline p = (CompiledPipeline) compile(
        "{app=\"a\"} | json |= \"x\" | logfmt != \"y\" | level=\"e\" | decolorize |~ \"z\" | drop a |= \"w\"");
    List<StageProcessor> s = p.stages();
    // [filters x,y] json logfmt label-filter [filters z,w] decolorize drop
    assertThat(s).hasSize(7);
    assertThat(s.get(0)).isInstanceOf(LineFilterStage.class);
    assertThat(s.get(1)).isInstanceOf(io.lodge.querier.pipeline.parser.JsonParser.class);
    assertThat(s.get(2)).isInstanceOf(io.lodge.querier.pipeline.parser.LogfmtParser.class);
    assertThat(s.get(3)).isInstanceOf(io.lodge.querier.pipeline.label.LabelFilterStage.class);
    assertThat(s.get(4)).isInstanceOf(LineFilterStage.class);
    assertThat(s.get(5)).isInstanceOf(io.lodge.querier.pipeline.format.Decolorizer.class);
    assertThat(s.get(6)).isInstanceOf(io.lodge.querier.pipeline.format.DropLabels.class);
  }

  @Test
  void noopPipelinePassesEntriesAndRenamesClashingMetadata() {
    Pipeline p = compile("{app=\"a\"}");
    assertThat(p.isNoop()).isTrue();
    PipelineResult r = p.forStream(LabelSet.of("app", "a")).process(1, "l".getBytes(StandardCharsets.UTF_8),
        List.of(new Label("trace", "t")));
    assertThat(r.allLabels()).isEqualTo(LabelSet.of("app", "a", "trace", "t"));
    assertThat(compile("{app=\"a\"} |= \"x\"").isNoop()).isFalse();
  }

  @Test
  void builderStateDoesNotLeakBetweenEntriesOfAStream() {
    StreamPipeline sp = compile("{app=\"a\"} | logfmt | label_format svc=app | drop env").forStream(
        LabelSet.of("app", "a", "env", "p"));
    PipelineResult first = sp.process(1, "x=1".getBytes(StandardCharsets.UTF_8), List.of());
    assertThat(first.stream()).isEqualTo(LabelSet.EMPTY);
    assertThat(first.parsed()).containsExactly(new Label("svc", "a"), new Label("x", "1"));
    PipelineResult second = sp.process(2, "y=2".getBytes(StandardCharsets.UTF_8), List.of(new Label("m", "v")));
    assertThat(second.stream()).isEqualTo(LabelSet.EMPTY);
    assertThat(second.structuredMetadata()).containsExactly(new Label("m", "v"));
    assertThat(second.parsed()).containsExactly(new Label("svc", "a"), new Label("y", "2"));
  }
}
