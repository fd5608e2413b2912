package io.lodge.querier.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.querier.logql.LogqlParser;
import io.lodge.querier.logql.ast.LogQuery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Runs the table-driven pipeline cases of {@code src/test/resources/pipeline/*.txt} (see {@link PipelineTable}). */
class PipelineTableTest {
  private static final long TS = 1_700_000_000_123_456_789L;

  @TestFactory
  Stream<DynamicTest> lineFilters() throws IOException {
    return run("line_filters.txt");
  }

  @TestFactory
  Stream<DynamicTest> json() throws IOException {
    return run("json.txt");
  }

  @TestFactory
  Stream<DynamicTest> logfmt() throws IOException {
    return run("logfmt.txt");
  }

  @TestFactory
  Stream<DynamicTest> patternAndRegexp() throws IOException {
    return run("pattern_regexp.txt");
  }

  @TestFactory
  Stream<DynamicTest> labelFilters() throws IOException {
    return run("label_filters.txt");
  }

  @TestFactory
  Stream<DynamicTest> otherStages() throws IOException {
    return run("other_stages.txt");
  }

  private static Stream<DynamicTest> run(String file) throws IOException {
    List<PipelineTable.Case> cases = PipelineTable.load(file);
    assertThat(cases).isNotEmpty();
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.where() + " " + c.query(), () -> check(c)));
  }

  private static void check(PipelineTable.Case c) {
    LogQuery q = (LogQuery) LogqlParser.parse(c.query());
    Pipeline p = Pipelines.compile(q.stages());
    PipelineResult r = p.forStream(c.stream()).process(TS, c.line().getBytes(StandardCharsets.UTF_8), c.meta());
    if (c.dropped()) {
      assertThat(r).as("%s: expected the entry to be dropped", c.where()).isNull();
      return;
    }
    assertThat(r).as("%s: entry was dropped", c.where()).isNotNull();
    assertThat(new String(r.line(), StandardCharsets.UTF_8)).as("%s line", c.where()).isEqualTo(c.outLine());
    assertThat(r.stream()).as("%s stream", c.where()).isEqualTo(c.outStream());
    assertThat(r.structuredMetadata()).as("%s metadata", c.where()).isEqualTo(c.outMeta());
    assertThat(r.parsed()).as("%s parsed", c.where()).isEqualTo(c.outParsed());
  }
}
