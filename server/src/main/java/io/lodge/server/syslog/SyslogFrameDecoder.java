package io.lodge.server.syslog;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits a syslog TCP stream into messages, choosing the framing per message (RFC 6587): a frame that
 * starts with a digit is octet-counted ({@code LEN SP MSG}), anything else runs to the next LF
 * (non-transparent framing; a trailing CR is left for the parser to trim). Frames longer than
 * {@code maxLength} are skipped, never buffered: an octet-counted one by its count, a line up to its
 * LF. Emits each message as a retained slice ({@link ByteBuf}) or an {@link InvalidFrame}; at end of
 * stream a last unterminated line is still a message, a cut octet-counted one is invalid.
 */
public final class SyslogFrameDecoder extends ByteToMessageDecoder {
  /** A frame that could not be delimited: why, for the log line and the invalid counter. */
  public record InvalidFrame(String reason) {}

  private static final int MAX_COUNT_DIGITS = 9;

  private final int maxLength;
  private long skipBytes; // of an over-long octet-counted frame still to discard
  private boolean discardingLine; // inside an over-long LF-framed line, until its LF

  public SyslogFrameDecoder(int maxLength) {
    this.maxLength = maxLength;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.isReadable()) {
      if (!decodeOne(in, out, false)) return;
    }
  }

  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.isReadable()) {
      if (!decodeOne(in, out, true)) return;
    }
  }

  /** Decodes one frame (or skips bytes); false when more input is needed. */
  private boolean decodeOne(ByteBuf in, List<Object> out, boolean eof) {
    if (skipBytes > 0) {
      int n = (int) Math.min(skipBytes, in.readableBytes());
      in.skipBytes(n);
      skipBytes -= n;
      return skipBytes == 0;
    }
    if (discardingLine) {
      int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
      if (lf < 0) {
        in.skipBytes(in.readableBytes());
        return false;
      }
      in.readerIndex(lf + 1);
      discardingLine = false;
      return true;
    }
    int start = in.readerIndex();
    byte first = in.getByte(start);
    if (first == '\n' || first == '\r' || first == 0 || first == ' ') { // stray separators between frames
      in.skipBytes(1);
      return true;
    }
    if (first >= '1' && first <= '9') {
      int r = decodeOctetCounted(in, out, eof);
      if (r != NOT_OCTET_COUNTED) return r == DONE;
    }
    return decodeLine(in, out, eof);
  }

  private static final int DONE = 0;
  private static final int NEED_MORE = 1;
  private static final int NOT_OCTET_COUNTED = 2;

  private int decodeOctetCounted(ByteBuf in, List<Object> out, boolean eof) {
    int start = in.readerIndex();
    int end = in.writerIndex();
    long len = 0;
    int p = start;
    while (p < end && p - start < MAX_COUNT_DIGITS + 1) {
      byte ch = in.getByte(p);
      if (ch >= '0' && ch <= '9') {
        len = len * 10 + (ch - '0');
        p++;
      } else if (ch == ' ') {
        break;
      } else {
        return NOT_OCTET_COUNTED;
      }
    }
    if (p >= end) {
      if (p - start > MAX_COUNT_DIGITS) return NOT_OCTET_COUNTED;
      if (eof) {
        in.skipBytes(in.readableBytes());
        out.add(new InvalidFrame("connection closed inside an octet count"));
        return DONE;
      }
      return NEED_MORE;
    }
    if (in.getByte(p) != ' ' || p - start > MAX_COUNT_DIGITS) return NOT_OCTET_COUNTED;
    int bodyStart = p + 1;
    if (len > maxLength) {
      in.readerIndex(bodyStart);
      skipBytes = len;
      out.add(new InvalidFrame("octet-counted frame of " + len + " bytes exceeds the limit of " + maxLength));
      return DONE;
    }
    if (end - bodyStart < len) {
      if (eof) {
        in.skipBytes(in.readableBytes());
        out.add(new InvalidFrame("connection closed after " + (end - bodyStart) + " of " + len
            + " bytes of an octet-counted frame"));
        return DONE;
      }
      return NEED_MORE;
    }
    out.add(in.retainedSlice(bodyStart, (int) len));
    in.readerIndex(bodyStart + (int) len);
    return DONE;
  }

  private boolean decodeLine(ByteBuf in, List<Object> out, boolean eof) {
    int start = in.readerIndex();
    int end = in.writerIndex();
    int searchEnd = (int) Math.min(end, (long) start + maxLength + 1);
    int lf = in.indexOf(start, searchEnd, (byte) '\n');
    if (lf >= 0) {
      out.add(in.retainedSlice(start, lf - start));
      in.readerIndex(lf + 1);
      return true;
    }
    if (end - start > maxLength) {
      in.readerIndex(searchEnd); // no LF up to here; the rest of the line is discarded up to its LF
      discardingLine = true;
      out.add(new InvalidFrame("line longer than the limit of " + maxLength + " bytes"));
      return true;
    }
    if (eof) {
      out.add(in.retainedSlice(start, end - start));
      in.readerIndex(end);
      return true;
    }
    return false;
  }
}
