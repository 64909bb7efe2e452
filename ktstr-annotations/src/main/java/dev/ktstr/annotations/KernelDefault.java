package dev.ktstr.annotations;

/** The kernel's own scheduler (EEVDF): what {@link KtstrTest#scheduler()} means when left unset. */
@Scheduler(name = "eevdf")
public enum KernelDefault {}
