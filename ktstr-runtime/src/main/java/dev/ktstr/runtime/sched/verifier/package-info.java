/**
 * {@code ktstr verifier}'s engine: a scheduler loaded once per flag profile in a single-CPU guest,
 * each BPF program's {@code verified_insns} read with ktstr's {@code ktstr_progs} tool, failed loads
 * reported with their cycle-collapsed verifier logs ({@link dev.ktstr.runtime.sched.verifier.Verifier},
 * {@link dev.ktstr.runtime.sched.verifier.VerifierReport}). The command line lives in
 * {@code dev.ktstr.runtime.cli.sched}.
 */
package dev.ktstr.runtime.sched.verifier;
