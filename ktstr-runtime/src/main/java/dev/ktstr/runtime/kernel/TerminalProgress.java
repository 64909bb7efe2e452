package dev.ktstr.runtime.kernel;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A {@link ProgressSink} on a text stream (stderr for the CLI). On a terminal a transfer is one line
 * redrawn in place at most ten times a second: {@code [=====>     ]  45%  6.1/13.6 MB  12.3 MB/s};
 * elsewhere (CI logs) it prints one line when a transfer starts and one when it ends, never a flood.
 */
public final class TerminalProgress implements ProgressSink {

    private static final int BAR_WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final boolean interactive;
    private final Object lock = new Object();

    public TerminalProgress(PrintStream out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    /** On stderr, interactive when the JVM has a console. */
    public static TerminalProgress stderr() {
        return new TerminalProgress(System.err, System.console() != null);
    }

    @Override
    public void stage(String message) {
        synchronized (lock) {
            out.println("ktstr: " + message);
        }
    }

    @Override
    public void warning(String message) {
        synchronized (lock) {
            out.println("ktstr: warning: " + message);
        }
    }

    @Override
    public Transfer transfer(String label, long totalBytes) {
        synchronized (lock) {
            if (!interactive) {
                out.println("ktstr: downloading " + label + (totalBytes > 0 ? " (" + mb(totalBytes) + " MB)" : ""));
            }
        }
        return new BarTransfer(label, totalBytes);
    }

    private final class BarTransfer implements Transfer {
        private final String label;
        private final long total;
        private final long start = System.nanoTime();
        private long done;
        private long lastDraw;
        private boolean closed;

        BarTransfer(String label, long total) {
            this.label = label;
            this.total = total;
        }

        @Override
        public void advance(long bytes) {
            synchronized (lock) {
                done += bytes;
                long now = System.nanoTime();
                if (interactive && now - lastDraw >= REDRAW_NANOS) {
                    lastDraw = now;
                    out.print("\r" + line(now));
                    out.flush();
                }
            }
        }

        @Override
        public void close() {
            synchronized (lock) {
                if (closed) {
                    return;
                }
                closed = true;
                long now = System.nanoTime();
                if (interactive) {
                    out.print("\r" + line(now) + "\n");
                } else {
                    out.println("ktstr: downloaded " + label + " " + mb(done) + " MB in "
                            + String.format(Locale.ROOT, "%.1f s (%s MB/s)", seconds(now), rate(now)));
                }
                out.flush();
            }
        }

        private String line(long now) {
            StringBuilder sb = new StringBuilder();
            if (total > 0) {
                int filled = (int) Math.min(BAR_WIDTH, done * BAR_WIDTH / total);
                sb.append('[').append("=".repeat(filled));
                if (filled < BAR_WIDTH) {
                    sb.append('>').append(" ".repeat(BAR_WIDTH - filled - 1));
                }
                sb.append(']').append(String.format(Locale.ROOT, " %3d%%  %s/%s MB", done * 100 / total, mb(done),
                        mb(total)));
            } else {
                sb.append(mb(done)).append(" MB");
            }
            sb.append("  ").append(rate(now)).append(" MB/s  ").append(label);
            return sb.toString();
        }

        private double seconds(long now) {
            return Math.max(1e-3, (now - start) / 1e9);
        }

        private String rate(long now) {
            return String.format(Locale.ROOT, "%.1f", done / 1e6 / seconds(now));
        }
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1e6);
    }
}
