package io.lodge.bench.load;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One keep-alive HTTP/1.1 connection that POSTs push bodies and reads the answers, blocking, one request
 * at a time. Why not {@code java.net.http.HttpClient}: its asynchronous pipeline (selector and worker
 * threads per client) cost about three times the CPU per push here, and on a machine the generator shares
 * with the server that CPU is taken from the server being measured. Each request goes out in one write;
 * answers may have a Content-Length, chunked or connection-closed bodies. After an I/O error the
 * connection is dropped and the next post opens a new one; a failed POST is never retried. A connection
 * idle for {@link #MAX_IDLE_NANOS} is replaced before it is used, since servers and proxies close idle
 * ones (Lodge after 120 s) and the close would show as a failed push. Reads time out; a write stuck on a
 * server that stopped reading is ended by {@link #abort} from another thread.
 */
final class PushConnection implements AutoCloseable {
  /** The answer to one POST: its status and body (the body decoded as UTF-8, for error messages). */
  record Answer(int status, String body) {}

  private static final int MAX_LINE = 16 << 10;
  static final long MAX_IDLE_NANOS = 30_000_000_000L;

  private final URI uri;
  private final byte[] head;
  private final int timeoutMillis;
  private volatile Socket socket; // volatile: abort() closes it from another thread
  private InputStream in;
  private OutputStream out;
  private long lastUsedNanos;
  private byte[] request = new byte[0];

  /** {@code tenant} goes in X-Scope-OrgID when not null or empty. */
  PushConnection(URI uri, String contentType, String tenant, Duration timeout) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("--url must be an http:// or https:// URL, got " + uri);
    }
    this.uri = uri;
    this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    StringBuilder h = new StringBuilder()
        .append("POST ").append(path).append(" HTTP/1.1\r\n")
        .append("Host: ").append(uri.getHost()).append(uri.getPort() < 0 ? "" : ":" + uri.getPort()).append("\r\n")
        .append("User-Agent: lodge-bench\r\n")
        .append("Content-Type: ").append(contentType).append("\r\n");
    if (tenant != null && !tenant.isEmpty()) h.append("X-Scope-OrgID: ").append(tenant).append("\r\n");
    h.append("Content-Length: ");
    this.head = h.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private int port() {
    return uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  private void connect() throws IOException {
    Socket s = new Socket();
    try {
      s.connect(new InetSocketAddress(uri.getHost(), port()), 5_000);
      s.setTcpNoDelay(true);
      s.setSoTimeout(timeoutMillis);
      if (uri.getScheme().equalsIgnoreCase("https")) {
        // layered on the connected socket, so the handshake sends the host name (SNI); and checked
        // against the certificate as a browser would, which a bare SSLSocket does not do by itself
        SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(s, uri.getHost(), port(), true);
        SSLParameters params = tls.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(params);
        s = tls;
      }
      in = new BufferedInputStream(s.getInputStream(), 8192);
      out = s.getOutputStream();
      socket = s;
    } catch (IOException e) {
      try {
        s.close();
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  /** POSTs {@code body} and returns the answer; on an I/O error the connection is closed and the error thrown. */
  Answer post(byte[] body) throws IOException {
    if (socket != null && System.nanoTime() - lastUsedNanos > MAX_IDLE_NANOS) close();
    if (socket == null) connect();
    try {
      byte[] length = (body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
      int size = head.length + length.length + body.length;
      if (request.length < size) request = new byte[size];
      System.arraycopy(head, 0, request, 0, head.length);
      System.arraycopy(length, 0, request, head.length, length.length);
      System.arraycopy(body, 0, request, head.length + length.length, body.length);
      out.write(request, 0, size);
      out.flush();
      Answer a = readAnswer();
      lastUsedNanos = System.nanoTime();
      return a;
    } catch (IOException | RuntimeException e) {
      try {
        close();
      } catch (IOException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  private Answer readAnswer() throws IOException {
    String statusLine;
    int status;
    do { // 1xx answers (100 Continue) precede the real one
      statusLine = readLine();
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) throw new ProtocolException("not an HTTP/1.x status line: " + statusLine);
      try {
        status = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        throw new ProtocolException("bad status code in: " + statusLine);
      }
      long length = -1;
      boolean chunked = false, close = statusLine.startsWith("HTTP/1.0");
      for (String line = readLine(); !line.isEmpty(); line = readLine()) {
        int colon = line.indexOf(':');
        if (colon < 0) throw new ProtocolException("bad header line: " + line);
        String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
        switch (name) {
          case "content-length" -> length = nonNegative(value, 10, line);
          case "transfer-encoding" -> chunked = value.endsWith("chunked");
          case "connection" -> close = value.contains("close") || (close && !value.contains("keep-alive"));
          default -> { }
        }
      }
      if (status / 100 == 1) continue;
      byte[] answerBody;
      if (status == 204 || status == 304) answerBody = new byte[0];
      else if (chunked) answerBody = readChunked();
      else if (length >= 0) answerBody = readFully(length);
      else {
        answerBody = in.readAllBytes();
        close = true;
      }
      if (close) close();
      return new Answer(status, new String(answerBody, StandardCharsets.UTF_8));
    } while (true);
  }

  private byte[] readChunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine();
      int semi = sizeLine.indexOf(';');
      long size = nonNegative((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16, sizeLine);
      if (size == 0) {
        while (!readLine().isEmpty()) { } // trailers
        return body.toByteArray();
      }
      body.write(readFully(size));
      if (!readLine().isEmpty()) throw new ProtocolException("a chunk does not end in CRLF");
    }
  }

  /** {@code text} as a non-negative number in {@code radix}, or a ProtocolException quoting {@code line}. */
  private static long nonNegative(String text, int radix, String line) throws ProtocolException {
    long v;
    try {
      v = Long.parseLong(text, radix);
    } catch (NumberFormatException e) {
      ProtocolException p = new ProtocolException("not a length in: " + line);
      p.initCause(e);
      throw p;
    }
    if (v < 0 || text.startsWith("+")) throw new ProtocolException("not a length in: " + line);
    return v;
  }

  private byte[] readFully(long length) throws IOException {
    if (length > 64L << 20) throw new ProtocolException("an answer body of " + length + " bytes is more than a push answer has");
    byte[] b = in.readNBytes((int) length);
    if (b.length < length) throw new EOFException("the answer body ended after " + b.length + " of " + length + " bytes");
    return b;
  }

  private String readLine() throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) throw new EOFException(line.isEmpty() ? "the server closed the connection" : "the answer ended mid-line: " + line);
      if (line.length() == MAX_LINE) throw new ProtocolException("an answer line is longer than " + MAX_LINE + " bytes");
      line.append((char) c);
    }
    int n = line.length();
    if (n > 0 && line.charAt(n - 1) == '\r') line.setLength(n - 1);
    return line.toString();
  }

  /** Closes the connection from another thread, ending a read or write stuck in it with an I/O error. */
  void abort() throws IOException {
    Socket s = socket;
    if (s != null) s.close();
  }

  @Override
  public void close() throws IOException {
    Socket s = socket;
    socket = null;
    in = null;
    out = null;
    if (s != null) s.close();
  }
}
