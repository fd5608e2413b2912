/** The read path: LogQL, the log pipeline, the metric engine and the query API semantics. */
package io.lodge.querier;
