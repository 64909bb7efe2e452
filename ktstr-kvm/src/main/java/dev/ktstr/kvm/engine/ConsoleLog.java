package dev.ktstr.kvm.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The guest's console output, kept as the last {@code capacity} lines, with listeners called for each
 * complete line (engines use one to spot a kernel panic as it is printed).
 */
public final class ConsoleLog {

    private final int capacity;
    private final Deque<String> lines = new ArrayDeque<>();
    private final StringBuilder partial = new StringBuilder();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final List<RawListener> rawListeners = new CopyOnWriteArrayList<>();
    private long totalLines;

    public ConsoleLog(int capacity) {
        this.capacity = capacity;
    }

    public void addListener(Consumer<String> listener) {
        listeners.add(listener);
    }

    /** Receives console bytes as they arrive (an interactive session echoes them). */
    @FunctionalInterface
    public interface RawListener {
        void accept(byte[] buf, int len);
    }

    public void addRawListener(RawListener listener) {
        rawListeners.add(listener);
    }

    /** Feeds raw console bytes (any chunking); CR is dropped, LF ends a line. */
    public void append(byte[] buf, int off, int len) {
        if (!rawListeners.isEmpty()) {
            byte[] copy = java.util.Arrays.copyOfRange(buf, off, off + len);
            for (RawListener l : rawListeners) {
                l.accept(copy, len);
            }
        }
        List<String> complete = new ArrayList<>();
        synchronized (this) {
            for (int i = off; i < off + len; i++) {
                char c = (char) (buf[i] & 0xff);
                if (c == '\n') {
                    String line = partial.toString();
                    partial.setLength(0);
                    push(line);
                    complete.add(line);
                } else if (c != '\r') {
                    partial.append(c);
                }
            }
        }
        for (String line : complete) {
            for (Consumer<String> l : listeners) {
                l.accept(line);
            }
        }
    }

    private void push(String line) {
        lines.addLast(line);
        totalLines++;
        while (lines.size() > capacity) {
            lines.removeFirst();
        }
    }

    /** The last {@code n} lines, oldest first, including an unterminated last line. */
    public synchronized List<String> tail(int n) {
        List<String> all = new ArrayList<>(lines);
        if (partial.length() > 0) {
            all.add(partial.toString());
        }
        return List.copyOf(all.subList(Math.max(0, all.size() - n), all.size()));
    }

    public synchronized long totalLines() {
        return totalLines;
    }

    /** The tail as one block for failure messages. */
    public String tailText(int n) {
        return String.join("\n", tail(n));
    }
}
