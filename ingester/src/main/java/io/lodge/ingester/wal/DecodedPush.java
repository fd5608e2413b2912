package io.lodge.ingester.wal;

import io.lodge.ingester.model.PushRequest;
import java.util.Objects;

/**
 * A push read back from a WAL record: the tenant it belongs to and its streams, whose lines are ranges of
 * the record's payload or of {@code body}, the kept push body decompressed (null for a record without
 * one). Whoever took {@code body} from a pool gives it back once the request is applied, not before.
 * Equality is the push's (tenant and request): {@code body} is where its lines are, not part of its value.
 */
public record DecodedPush(String tenant, PushRequest request, byte[] body) {
  @Override
  public boolean equals(Object o) {
    return o instanceof DecodedPush d && tenant.equals(d.tenant) && request.equals(d.request);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tenant, request);
  }

  @Override
  public String toString() {
    return "DecodedPush[tenant=" + tenant + ", request=" + request + "]";
  }
}
