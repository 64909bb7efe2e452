package dev.ktstr.kvm.engine;

/**
 * Whether an engine is usable here.
 *
 * @param usable  true when the engine can boot stock kernels on this host
 * @param reason  one line saying why (or why not), e.g. "/dev/kvm is kvm_pvm: stock kernels cannot run under it"
 */
public record EngineAvailability(boolean usable, String reason) {

    public static EngineAvailability usable(String reason) {
        return new EngineAvailability(true, reason);
    }

    public static EngineAvailability unusable(String reason) {
        return new EngineAvailability(false, reason);
    }
}
