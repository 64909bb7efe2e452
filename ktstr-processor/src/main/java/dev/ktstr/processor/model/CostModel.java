package dev.ktstr.processor.model;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The estimated wall-clock seconds of one variant, which budget selection and sharding weigh. It is
 * calibrated on the slowest engine a run may use, QEMU with single-threaded TCG (see
 * {@code environment.md}: a 2-vCPU guest boots in about 1.8 s, 16 vCPUs in 4.5 s, 64 in 12.8 s):
 *
 * <pre>
 *   VM variant:  1.6 + 0.18 × vCPUs        boot to the guest agent (2 vCPUs ≈ 2.0 s, 16 ≈ 4.5 s, 64 ≈ 13.1 s)
 *              + 0.5 if a sched_ext scheduler is loaded (attach, detach)
 *              + durationS                  the scenario itself
 *              + 3 in performance mode      host isolation set-up and settle time
 *   host-only:   0.5 + durationS
 * </pre>
 *
 * Only ratios matter to selection and sharding; the absolute figure makes {@code ktstr.budget.secs}
 * mean roughly what it says. Results are rounded to hundredths so the manifest is stable text.
 */
public final class CostModel {

    public static final double BOOT_BASE_S = 1.6;
    public static final double BOOT_PER_VCPU_S = 0.18;
    public static final double SCHED_EXT_ATTACH_S = 0.5;
    public static final double PERFORMANCE_MODE_S = 3.0;
    public static final double HOST_SETUP_S = 0.5;

    private CostModel() {}

    public static double estimateSecs(VariantModel v) {
        TestModel t = v.test();
        double secs;
        if (t.hostOnly()) {
            secs = HOST_SETUP_S + t.durationS();
        } else {
            secs = BOOT_BASE_S + BOOT_PER_VCPU_S * v.topology().totalCpus() + t.durationS();
            if (!t.scheduler().isKernelDefault()) {
                secs += SCHED_EXT_ATTACH_S;
            }
            if (t.performanceMode()) {
                secs += PERFORMANCE_MODE_S;
            }
        }
        return BigDecimal.valueOf(secs).setScale(2, RoundingMode.HALF_UP).doubleValue();
    }
}
