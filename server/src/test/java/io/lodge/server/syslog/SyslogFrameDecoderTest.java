package io.lodge.server.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** TCP framing: octet-counted and LF frames mixed on one stream, cut anywhere, over-long frames skipped. */
class SyslogFrameDecoderTest {
  private static List<String> decode(int maxLength, List<byte[]> chunks, boolean close) {
    EmbeddedChannel ch = new EmbeddedChannel(new SyslogFrameDecoder(maxLength));
    for (byte[] c : chunks) ch.writeInbound(Unpooled.wrappedBuffer(c));
    if (close) ch.finish();
    List<String> out = new ArrayList<>();
    Object o;
    while ((o = ch.readInbound()) != null) {
      if (o instanceof ByteBuf b) {
        out.add(b.toString(StandardCharsets.UTF_8));
        b.release();
      } else {
        out.add("INVALID " + ((SyslogFrameDecoder.InvalidFrame) o).reason());
      }
    }
    ch.finishAndReleaseAll();
    return out;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void framingIsChosenPerMessage() {
    String stream = "<13>1 - h a - - - lf one\n11 <13>counted<14>1 - h a - - - lf two\n\n"
        + "20 <13>1 - h a - - - x\n\n";
    assertThat(decode(1024, List.of(bytes(stream)), false))
        .containsExactly("<13>1 - h a - - - lf one", "<13>counted", "<14>1 - h a - - - lf two", "<13>1 - h a - - - x\n");
  }

  @Test
  void overLongFramesAreSkippedAndReported() {
    String stream = "40 " + "x".repeat(40) + "<13>ok\n" + "y".repeat(50) + "\n<13>after\n";
    assertThat(decode(32, List.of(bytes(stream)), false)).containsExactly(
        "INVALID octet-counted frame of 40 bytes exceeds the limit of 32", "<13>ok",
        "INVALID line longer than the limit of 32 bytes", "<13>after");
  }

  @Test
  void endOfStreamKeepsALastLineButNotACutCountedFrame() {
    assertThat(decode(64, List.of(bytes("<13>no newline at the end")), true)).containsExactly("<13>no newline at the end");
    assertThat(decode(64, List.of(bytes("30 <13>cut")), true))
        .containsExactly("INVALID connection closed after 7 of 30 bytes of an octet-counted frame");
  }

  /** Oracle: however the stream is cut into reads, the frames are the messages that were framed. */
  @Property(tries = 200)
  void anySplitGivesTheSameFrames(@ForAll("messages") @Size(min = 1, max = 12) List<String> messages,
      @ForAll @Size(max = 20) List<@IntRange(min = 0, max = 10_000) Integer> cuts,
      @ForAll @Size(min = 12, max = 12) List<Boolean> counted) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < messages.size(); i++) {
      String m = messages.get(i);
      if (counted.get(i)) sb.append(bytes(m).length).append(' ').append(m);
      else sb.append(m).append('\n');
    }
    byte[] all = bytes(sb.toString());
    List<Integer> points = new ArrayList<>();
    for (int c : cuts) points.add(c % (all.length + 1));
    points.add(0);
    points.add(all.length);
    points.sort(Integer::compare);
    List<byte[]> chunks = new ArrayList<>();
    for (int i = 1; i < points.size(); i++) {
      chunks.add(java.util.Arrays.copyOfRange(all, points.get(i - 1), points.get(i)));
    }
    assertThat(decode(4096, chunks, false)).containsExactlyElementsOf(messages);
  }

  @Provide
  Arbitrary<List<String>> messages() {
    // a message starts with '<' (as syslog does) and holds no LF, so both framings can carry it
    return Arbitraries.strings().ofMaxLength(60).filter(s -> s.indexOf('\n') < 0)
        .map(s -> "<13>" + s).list();
  }
}
