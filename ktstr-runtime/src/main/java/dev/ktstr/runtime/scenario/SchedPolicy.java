package dev.ktstr.runtime.scenario;

/**
 * The Linux scheduling policy a worker group runs under (ktstr facts §7); each worker applies it with
 * {@code sched_setscheduler} before its loop. Real-time priorities are 1 to 99.
 */
public sealed interface SchedPolicy {

    SchedPolicy NORMAL = new Normal();
    SchedPolicy BATCH = new Batch();
    SchedPolicy IDLE = new Idle();

    static SchedPolicy fifo(int priority) {
        return new Fifo(priority);
    }

    static SchedPolicy roundRobin(int priority) {
        return new RoundRobin(priority);
    }

    /** The kernel's {@code SCHED_*} value ({@code KW_POLICY_*} in {@code ktstr_work.h}). */
    int kernelPolicy();

    /** The real-time priority, 0 for the fair policies. */
    default int priority() {
        return 0;
    }

    /** A short human form, e.g. {@code FIFO(1)}. */
    String describe();

    /** {@code SCHED_OTHER}. */
    record Normal() implements SchedPolicy {
        @Override
        public int kernelPolicy() {
            return 0;
        }

        @Override
        public String describe() {
            return "NORMAL";
        }
    }

    /** {@code SCHED_BATCH}. */
    record Batch() implements SchedPolicy {
        @Override
        public int kernelPolicy() {
            return 3;
        }

        @Override
        public String describe() {
            return "BATCH";
        }
    }

    /** {@code SCHED_IDLE}. */
    record Idle() implements SchedPolicy {
        @Override
        public int kernelPolicy() {
            return 5;
        }

        @Override
        public String describe() {
            return "IDLE";
        }
    }

    /** {@code SCHED_FIFO} at {@code priority} 1..99. */
    record Fifo(int priority) implements SchedPolicy {
        public Fifo {
            checkPriority("FIFO", priority);
        }

        @Override
        public int kernelPolicy() {
            return 1;
        }

        @Override
        public String describe() {
            return "FIFO(" + priority + ")";
        }
    }

    /** {@code SCHED_RR} at {@code priority} 1..99. */
    record RoundRobin(int priority) implements SchedPolicy {
        public RoundRobin {
            checkPriority("RR", priority);
        }

        @Override
        public int kernelPolicy() {
            return 2;
        }

        @Override
        public String describe() {
            return "RR(" + priority + ")";
        }
    }

    private static void checkPriority(String policy, int priority) {
        if (priority < 1 || priority > 99) {
            throw new IllegalArgumentException(
                    policy + " priority must be 1..99 (sched_get_priority_min/max), got " + priority);
        }
    }
}
