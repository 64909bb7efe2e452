package dev.ktstr.runtime.monitor;

/**
 * The outcome of attaching the monitor to a guest: a {@link Ready} monitor, or the one-line reason it
 * is {@link Disabled} (the run goes on without it; its summary says why).
 */
public sealed interface MonitorAttach {

    /** The monitor is attached and can be started. */
    record Ready(Monitor monitor) implements MonitorAttach {}

    /** The monitor cannot run on this guest. */
    record Disabled(String reason) implements MonitorAttach {
        /** {@code monitor disabled: <reason>}, for logs and the failure report. */
        public String line() {
            return "monitor disabled: " + reason;
        }
    }
}
