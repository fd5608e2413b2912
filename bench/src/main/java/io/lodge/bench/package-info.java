/** JMH micro-benchmarks and the end-to-end load generator. */
package io.lodge.bench;
