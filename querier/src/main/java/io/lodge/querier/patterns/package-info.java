/** Log pattern mining for {@code /loki/api/v1/patterns}: a Drain-style clusterer over tokenized lines. */
package io.lodge.querier.patterns;
