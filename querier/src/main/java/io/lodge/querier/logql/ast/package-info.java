/**
 * The immutable LogQL syntax tree (LOKI-COMPAT §3). Every node prints canonical LogQL from
 * {@code toString()}, in the shape Loki's {@code format_query} uses on one line.
 */
package io.lodge.querier.logql.ast;
