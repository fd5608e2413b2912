package io.lodge.ingester.wal;

import io.lodge.ingester.model.PushRequest;

/** A push read back from a WAL record: the tenant it belongs to and its streams. */
public record DecodedPush(String tenant, PushRequest request) {}
