package dev.ktstr.runtime.kernel;

/**
 * Where kernel provisioning reports what it is doing: stage lines ("updating package lists"),
 * byte transfers (downloads, drawn as a progress bar by {@link TerminalProgress}) and warnings
 * (a corrupt cache entry skipped). Implementations must be thread-safe.
 */
public interface ProgressSink {

    /** A new stage of work. */
    void stage(String message);

    /** Something the user should know that does not stop the work. */
    void warning(String message);

    /**
     * Starts a byte transfer.
     *
     * @param label      what is transferred (a file name)
     * @param totalBytes expected size, or -1 when unknown
     */
    Transfer transfer(String label, long totalBytes);

    /** One transfer in flight. */
    interface Transfer extends AutoCloseable {

        /** Adds {@code bytes} to the amount done. */
        void advance(long bytes);

        /** Ends the transfer (success or not). */
        @Override
        void close();
    }

    /** Discards everything. */
    ProgressSink SILENT = new ProgressSink() {
        @Override
        public void stage(String message) {}

        @Override
        public void warning(String message) {}

        @Override
        public Transfer transfer(String label, long totalBytes) {
            return new Transfer() {
                @Override
                public void advance(long bytes) {}

                @Override
                public void close() {}
            };
        }
    };
}
