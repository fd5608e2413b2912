/**
 * The LogQL metric engine (LOKI-COMPAT 3.11 to 3.15): step grids, range aggregations over sliding
 * per-series windows, vector aggregations, binary operators, and the matrix/vector/scalar results.
 */
package io.lodge.querier.metric;
