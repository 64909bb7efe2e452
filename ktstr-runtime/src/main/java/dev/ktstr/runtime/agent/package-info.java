/**
 * Talking to the guest agent: {@link dev.ktstr.runtime.agent.GuestAgent} is what the scenario engine
 * and the CLI use; underneath, the wire format of {@code ktstr_wire.h} (mirrored in one class) over
 * one of two transports (shared-memory rings with a COM2 doorbell in a VM, pipes on bare metal).
 * Every failure is an {@link dev.ktstr.runtime.agent.AgentException} with a named
 * {@link dev.ktstr.runtime.agent.AgentException.Kind kind}.
 */
package dev.ktstr.runtime.agent;
