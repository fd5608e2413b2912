package io.lodge.server.tenant;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Turns the {@code X-Scope-OrgID} header into the tenant(s) of a request, by Loki's rules (LOKI-COMPAT
 * 1.2): with auth off every request is tenant {@code fake}; with auth on the header is required (401
 * {@code no org id}), split on {@code |}, every id validated in order (400 with Loki's message), then
 * sorted and de-duplicated. Push takes exactly one tenant; queries take several only when multi-tenant
 * queries are enabled. Stateless and thread-safe.
 */
public final class TenantResolver {
  /** The HTTP header (and, lower-cased, the gRPC metadata key) that carries the tenant. */
  public static final String HEADER = "X-Scope-OrgID";
  /** The tenant every request belongs to when auth is off. */
  public static final String FAKE = "fake";
  /** Longest valid tenant id, in bytes. */
  public static final int MAX_LENGTH = 150;

  private static final List<String> FAKE_LIST = List.of(FAKE);

  private final boolean authEnabled;
  private final boolean multiTenantQueries;

  public TenantResolver(boolean authEnabled, boolean multiTenantQueriesEnabled) {
    this.authEnabled = authEnabled;
    this.multiTenantQueries = multiTenantQueriesEnabled;
  }

  public boolean authEnabled() {
    return authEnabled;
  }

  /**
   * The one tenant of a push; {@code header} is the header value as a Java string (null when absent).
   *
   * @throws TenantException 401 without a header, 400 for an invalid id or more than one distinct id
   */
  public String pushTenant(String header) {
    if (!authEnabled) return FAKE;
    List<String> ids = parse(header);
    if (ids.size() > 1) throw new TenantException(400, "multiple org IDs present");
    return ids.get(0);
  }

  /**
   * The tenants of a query, sorted and distinct. Several only when multi-tenant queries are enabled;
   * otherwise {@code a|b} fails like a push does.
   */
  public List<String> queryTenants(String header) {
    if (!authEnabled) return FAKE_LIST;
    List<String> ids = parse(header);
    if (ids.size() > 1 && !multiTenantQueries) throw new TenantException(400, "multiple org IDs present");
    return ids;
  }

  private static List<String> parse(String header) {
    if (header == null || header.isEmpty()) throw new TenantException(401, "no org id");
    TreeSet<String> sorted = new TreeSet<>();
    int start = 0;
    while (true) {
      int bar = header.indexOf('|', start);
      String id = bar < 0 ? header.substring(start) : header.substring(start, bar);
      validate(id);
      sorted.add(id);
      if (bar < 0) break;
      start = bar + 1;
    }
    return List.copyOf(new ArrayList<>(sorted));
  }

  /** Checks one tenant id; throws {@link TenantException} (400) with Loki's message. */
  public static void validate(String id) {
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (!isSupported(c)) {
        // Loki prints the byte at the offending position as a rune: for a non-ASCII character that is
        // the first byte of its UTF-8 encoding, read as Latin-1.
        char shown = c < 0x80 ? c : (char) (String.valueOf(c).getBytes(StandardCharsets.UTF_8)[0] & 0xFF);
        throw new TenantException(400, "tenant ID '" + id + "' contains unsupported character '" + shown + "'");
      }
    }
    if (id.length() > MAX_LENGTH) {
      throw new TenantException(400, "tenant ID is too long: max " + MAX_LENGTH + " characters");
    }
    if (id.equals(".") || id.equals("..")) throw new TenantException(400, "tenant ID is '.' or '..'");
    // Loki lets an empty id through (from "a|" or "|"); Lodge refuses it: it would name no directory.
    if (id.isEmpty()) throw new TenantException(400, "tenant ID is empty");
  }

  private static boolean isSupported(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '!' || c == '-' || c == '_' || c == '.' || c == '*' || c == '\'' || c == '(' || c == ')';
  }
}
