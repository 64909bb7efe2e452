/**
 * The ktstr runtime: what a generated test calls ({@link dev.ktstr.runtime.KtstrRunner}) and what a
 * test body receives ({@link dev.ktstr.runtime.Ctx}). Sub-packages hold one job each: {@code scenario}
 * (the DSL and its engine), {@code agent} (the guest agent protocol and transports), {@code vm}
 * (booting a guest for a test), {@code kernel} and {@code sched} (provisioning), {@code checks},
 * {@code result} (result files), {@code stats} (metrics and the comparator), {@code monitor},
 * {@code junit} (JUnit Platform integration: budget, sharding, environment gates) and {@code cli}.
 */
package dev.ktstr.runtime;
