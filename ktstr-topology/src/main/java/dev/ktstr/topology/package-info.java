/**
 * The machine shape a test asks for: {@link dev.ktstr.topology.Topology} (NUMA nodes × LLCs × cores ×
 * SMT threads), how CPUs are numbered inside it, NUMA distances, the gauntlet
 * {@link dev.ktstr.topology.Presets presets} and the {@link dev.ktstr.topology.TopologyConstraints
 * constraints} that filter them. No I/O and no dependencies: the annotation processor evaluates the
 * same constraints at compile time that the runtime evaluates when it boots a VM.
 */
package dev.ktstr.topology;
