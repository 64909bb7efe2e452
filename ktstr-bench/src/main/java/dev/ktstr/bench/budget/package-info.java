/**
 * Budget selection and sharding at the scale of a big gauntlet: reading 100,000 manifest entries,
 * the lazy greedy pick beside the plain greedy, and shard assignment.
 */
package dev.ktstr.bench.budget;
