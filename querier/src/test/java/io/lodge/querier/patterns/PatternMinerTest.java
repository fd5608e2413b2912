package io.lodge.querier.patterns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The pattern miner on real loghub logs: every line is covered by exactly the count of one pattern that
 * matches it (checked with an independent regex translation of {@code <_>}), real systems collapse into
 * few patterns, and known OpenSSH message shapes come out as expected.
 */
class PatternMinerTest {
  private static final Path LOGHUB = io.lodge.ingester.testing.LoghubData.dir();
  private static final long SECOND = 1_000_000_000L;

  /**
   * {@code <_>} matches any text (possibly empty), a whitespace run any whitespace run, everything else
   * literally.
   */
  static Pattern regexOf(String pattern) {
    StringBuilder re = new StringBuilder();
    for (String part : pattern.split("<_>", -1)) {
      if (re.length() > 0) re.append(".*?");
      String[] words = part.split("\\s+", -1);
      for (int i = 0; i < words.length; i++) {
        if (i > 0) re.append("\\s+");
        re.append(Pattern.quote(words[i]));
      }
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }

  /** The line without surrounding whitespace, which patterns do not describe. */
  static String trimmed(String line) {
    return line.replaceAll("^\\s+|\\s+$", "");
  }

  private static List<String> lines(String file) throws IOException {
    return Files.readAllLines(LOGHUB.resolve(file), StandardCharsets.UTF_8);
  }

  private static List<MinedPattern> mine(List<String> lines, long step) {
    PatternMiner m = new PatternMiner(step);
    for (int i = 0; i < lines.size(); i++) m.add(i * SECOND, lines.get(i));
    return m.patterns();
  }

  @ParameterizedTest
  @ValueSource(strings = {"OpenSSH_2k.log", "Apache_2k.log", "HDFS_2k.log", "Zookeeper_2k.log", "Linux_2k.log",
      "Proxifier_2k.log", "Hadoop_2k.log", "Spark_2k.log"})
  void everyLineMatchesSomePatternAndCountsAddUp(String file) throws IOException {
    List<String> lines = lines(file);
    List<MinedPattern> patterns = mine(lines, 60 * SECOND);
    long total = 0;
    for (MinedPattern p : patterns) {
      total += p.total();
      assertThat(p.samples().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(p.total());
    }
    assertThat(total).isEqualTo(lines.size());
    List<Pattern> regexes = patterns.stream().map(p -> regexOf(p.pattern())).toList();
    for (String line : lines) {
      String normalized = trimmed(line);
      assertThat(regexes.stream().anyMatch(r -> r.matcher(normalized).matches())).as(line).isTrue();
    }
    // mining is worth something: far fewer patterns than lines
    assertThat(patterns.size()).as(file + ": " + patterns.size() + " patterns").isLessThan(lines.size() / 10);
  }

  @Test
  void openSshFailedPasswordsBecomeOnePatternPerShape() throws IOException {
    List<String> lines = lines("OpenSSH_2k.log");
    List<MinedPattern> patterns = mine(lines, 60 * SECOND);
    assertThat(patterns.size()).isLessThan(60);
    // "Failed password" and "Failed none" for invalid users share one shape; counted here independently
    Pattern invalidUser = Pattern.compile("sshd\\[\\d+\\]: Failed \\S+ for invalid user\\s+\\S+ from \\S+ port \\d+ ssh2$");
    long expected = lines.stream().filter(l -> invalidUser.matcher(l).find()).count();
    MinedPattern p = patterns.stream()
        .filter(x -> x.pattern().equals("Dec 10 <_> LabSZ sshd[<_>]: Failed <_> for invalid user <_> from <_> port <_> ssh2"))
        .findFirst().orElseThrow(() -> new AssertionError("no failed-password pattern among " + patterns));
    assertThat(p.total()).isEqualTo(expected);
    Pattern invalid = Pattern.compile("sshd\\[\\d+\\]: Invalid user\\s+\\S+ from \\S+$");
    MinedPattern q = patterns.stream().filter(x -> x.pattern().equals("Dec 10 <_> LabSZ sshd[<_>]: Invalid user <_> from <_>"))
        .findFirst().orElseThrow(() -> new AssertionError("no invalid-user pattern among " + patterns));
    assertThat(q.total()).isEqualTo(lines.stream().filter(l -> invalid.matcher(l).find()).count());
  }

  @Test
  void samplesAreBucketedByStepFromTheEpoch() {
    PatternMiner m = new PatternMiner(10 * SECOND);
    m.add(1_700_000_001L * SECOND, "user alice logged in from 10.0.0.1");
    m.add(1_700_000_009L * SECOND, "user bob logged in from 10.0.0.2");
    m.add(1_700_000_010L * SECOND, "user carol logged in from 10.0.0.3");
    List<MinedPattern> p = m.patterns();
    assertThat(p).hasSize(1);
    assertThat(p.get(0).pattern()).isEqualTo("user <_> logged in from <_>");
    assertThat(p.get(0).samples()).containsExactly(Map.entry(1_700_000_000L, 2L), Map.entry(1_700_000_010L, 1L));
  }

  /** Lines built from a few templates with random fillers: each template's lines must stay together. */
  @Property(tries = 50)
  void generatedTemplatesAreRecovered(@ForAll @Size(min = 1, max = 60) List<@IntRange(min = 0, max = 3) Integer> kinds,
      @ForAll @StringLength(min = 1, max = 8) String filler) {
    String[] templates = {"GET /api/users/%d status=%d took %dms", "worker %d finished job %d in %d seconds",
        "connection from 10.1.%d.%d port %d closed", "cache miss for key user:%d shard %d retry %d"};
    PatternMiner m = new PatternMiner(SECOND);
    Map<Integer, Integer> counts = new HashMap<>();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < kinds.size(); i++) {
      int k = kinds.get(i);
      String line = templates[k].formatted(i * 7 + filler.length(), i % 5, i * 13);
      lines.add(line);
      counts.merge(k, 1, Integer::sum);
      m.add(i, line);
    }
    List<MinedPattern> patterns = m.patterns();
    assertThat(patterns).hasSize(counts.size());
    for (MinedPattern p : patterns) {
      Pattern re = regexOf(p.pattern());
      long matching = lines.stream().filter(l -> re.matcher(l).matches()).count();
      assertThat(matching).isEqualTo(p.total());
    }
  }

  /** Arbitrary text (empty, unicode, punctuation, very long): nothing is lost and every line is covered. */
  @Property(tries = 100)
  void arbitraryLinesAreAllCovered(@ForAll @Size(max = 40) List<@StringLength(max = 400) String> lines) {
    PatternMiner m = new PatternMiner(SECOND);
    for (int i = 0; i < lines.size(); i++) m.add(i * SECOND, lines.get(i));
    List<MinedPattern> patterns = m.patterns();
    assertThat(patterns.stream().mapToLong(MinedPattern::total).sum()).isEqualTo(lines.size());
    List<Pattern> regexes = patterns.stream().map(p -> regexOf(p.pattern())).toList();
    for (String line : lines) {
      String normalized = trimmed(line);
      assertThat(regexes.stream().anyMatch(r -> r.matcher(normalized).matches())).as(line).isTrue();
    }
  }
}
