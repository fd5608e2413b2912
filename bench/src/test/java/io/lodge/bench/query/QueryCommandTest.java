package io.lodge.bench.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.lodge.bench.BenchMain;
import io.lodge.config.ConfigLoader;
import io.lodge.server.LodgeServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code bench query} against an in-process server: the dataset loads, selector queries answer with
 * the loaded entries, and whatever the server refuses with 400 is listed as unsupported with its
 * message while the command still succeeds.
 */
class QueryCommandTest {
  @TempDir Path dir;
  private LodgeServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  @Test
  void loadsAndRunsTheMixReportingRefusalsAsUnsupported() throws Exception {
    server = new LodgeServer(ConfigLoader.fromYaml("""
        auth_enabled: false
        server:
          http_listen_address: 127.0.0.1
          http_listen_port: 0
          grpc_listen_port: 0
        common:
          path_prefix: %s
        """.formatted(dir.resolve("data")), "test.yaml").config());
    server.start();
    StringWriter text = new StringWriter();
    CommandLine cl = BenchMain.commandLine();
    cl.setOut(new PrintWriter(text));
    int code = cl.execute("query", "--url", "http://127.0.0.1:" + server.httpPort(), "--load-lines", "4000",
        "--streams", "20", "--runs", "1");
    String out = text.toString();
    assertThat(code).as(out).isZero();
    assertThat(out).containsPattern("loaded 4,000 lines \\([\\d,]+ line bytes\\) over 20 streams");
    // 4000 lines over 20 streams: stream s00007 holds 200 of them
    Matcher m = Pattern.compile("one-stream\\s+200\\s+\\S+ ms\\s+\\S+ ms\\s+\\S+ ms\\s+-\\s+(\\d+)\\s+(\\d+)").matcher(out);
    assertThat(m.find()).as(out).isTrue();
    assertThat(Long.parseLong(m.group(2))).isEqualTo(200);
    Matcher all = Pattern.compile("all-streams\\s+200\\s+\\S+ ms\\s+\\S+ ms\\s+\\S+ ms\\s+-\\s+\\d+\\s+(\\d+)").matcher(out);
    assertThat(all.find()).as(out).isTrue();
    assertThat(Long.parseLong(all.group(1))).isEqualTo(1000); // the limit
    for (String name : new String[] {"needle", "count-by-app", "pattern-pipeline"}) {
      assertThat(out).containsPattern("(?m)^" + name + "\\s+(200|unsupp\\.)");
    }
  }

  @Test
  void localServerFlushesReportsDiskAndFindsTheNeedleOnce() {
    StringWriter text = new StringWriter();
    CommandLine cl = BenchMain.commandLine();
    cl.setOut(new PrintWriter(text));
    int code = cl.execute("query", "--local", "--dir", dir.resolve("local").toString(), "--flush", "--chunk-report", "--recompact", "1048576:3", "--load-lines", "3000",
        "--streams", "10", "--runs", "1", "--only", "needle-token,needle,brute-force,count-by-inst");
    String out = text.toString();
    assertThat(code).as(out).isZero();
    assertThat(out).contains("flushed to chunks");
    Matcher disk = Pattern.compile("on disk: chunks and line dictionaries ([\\d,]+) B \\+ index ([\\d,]+) B = ([\\d,]+) B").matcher(out);
    assertThat(disk.find()).as(out).isTrue();
    long chunks = Long.parseLong(disk.group(1).replace(",", ""));
    long index = Long.parseLong(disk.group(2).replace(",", ""));
    assertThat(chunks).isPositive();
    assertThat(Long.parseLong(disk.group(3).replace(",", ""))).isEqualTo(chunks + index);
    // the column report adds up to the chunk bytes (minus headers, indexes and footers)
    Matcher dicts = Pattern.compile("line dictionaries: (\\d+) objects, ([\\d,]+) bytes").matcher(out);
    assertThat(dicts.find()).as(out).isTrue();
    long dictBytes = Long.parseLong(dicts.group(2).replace(",", ""));
    Matcher rep = Pattern.compile(
        "chunks: (\\d+) in (\\d+) objects, (\\d+) blocks \\((\\d+) with a line dictionary\\), ([\\d,]+) bytes").matcher(out);
    assertThat(rep.find()).as(out).isTrue();
    assertThat(Long.parseLong(rep.group(5).replace(",", "")) + dictBytes).isEqualTo(chunks);
    // one chunk per stream, all flushed in one cycle: one pack
    assertThat(rep.group(1)).isEqualTo("10");
    assertThat(rep.group(2)).isEqualTo("1");
    long parts = 0;
    Matcher col = Pattern.compile("(?m)stored\\s+([\\d,]+)|token filters\\s+([\\d,]+)").matcher(out);
    while (col.find()) parts += Long.parseLong((col.group(1) != null ? col.group(1) : col.group(2)).replace(",", ""));
    assertThat(parts).isPositive().isLessThan(chunks);
    assertThat(out).containsPattern("rebuilt with 1,048,576-byte blocks at zstd 3: [\\d,]+ bytes");
    // the needle line is the only line holding the needle, whole or in part
    for (String name : new String[] {"needle-token", "needle", "brute-force"}) {
      Matcher m = Pattern.compile("(?m)^" + name + "\\s+200\\s+\\S+ ms\\s+\\S+ ms\\s+\\S+ ms\\s+\\S+ ms\\s+(\\d+)\\s+(\\d+)").matcher(out);
      assertThat(m.find()).as(name + " in " + out).isTrue();
      assertThat(m.group(2)).as(name).isEqualTo("1");
    }
    // one series per instance
    Matcher c = Pattern.compile("(?m)^count-by-inst\\s+200\\s+\\S+ ms\\s+\\S+ ms\\s+\\S+ ms\\s+\\S+ ms\\s+(\\d+)").matcher(out);
    assertThat(c.find()).as(out).isTrue();
    assertThat(c.group(1)).isEqualTo("10");
  }
}
