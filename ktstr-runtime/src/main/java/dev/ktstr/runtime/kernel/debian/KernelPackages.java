package dev.ktstr.runtime.kernel.debian;

import java.util.Optional;

/**
 * The names of the two Debian packages a kernel needs, for one ABI version and flavour:
 * {@code linux-binary-unsigned-<abi>-<flavour>} (the bzImage as
 * {@code /usr/lib/modules/<release>/vmlinuz.unsigned}) and {@code linux-base-<abi>-<flavour>} (its
 * {@code config}). The release ({@code uname -r}) is {@code <abi>-<flavour>}.
 *
 * @param version the ABI version, {@code 7.3.4+deb13}
 * @param flavour {@code cloud-amd64} (small, boots fast), {@code amd64} (generic) or {@code rt-amd64}
 */
public record KernelPackages(DebianKernelVersion version, String flavour) {

    public static final String IMAGE_PREFIX = "linux-binary-unsigned-";
    public static final String CONFIG_PREFIX = "linux-base-";
    /** The flavour fetched unless another is asked for. */
    public static final String DEFAULT_FLAVOUR = "cloud-amd64";
    /** The suite fetched from unless another is asked for: the first with sched_ext 7.x kernels. */
    public static final String DEFAULT_SUITE = "trixie-backports";
    /** The series fetched when no version is given: 7.x, so the default does not jump majors silently. */
    public static final String DEFAULT_SERIES = "7";

    public String imagePackage() {
        return IMAGE_PREFIX + version.text() + "-" + flavour;
    }

    public String configPackage() {
        return CONFIG_PREFIX + version.text() + "-" + flavour;
    }

    public String release() {
        return version.text() + "-" + flavour;
    }

    /** The apt-cache search pattern for every image package of {@code flavour}. */
    public static String searchPattern(String flavour) {
        return "^" + IMAGE_PREFIX.replace("-", "\\-") + "[0-9].*-" + flavour.replace("-", "\\-") + "$";
    }

    /**
     * The ABI version in an image package name of exactly {@code flavour} ({@code cloud-amd64} does
     * not match a name of flavour {@code amd64}, since an ABI version never contains a dash).
     */
    public static Optional<DebianKernelVersion> versionOf(String packageName, String flavour) {
        String suffix = "-" + flavour;
        if (!packageName.startsWith(IMAGE_PREFIX) || !packageName.endsWith(suffix)) {
            return Optional.empty();
        }
        String abi = packageName.substring(IMAGE_PREFIX.length(), packageName.length() - suffix.length());
        return abi.contains("-") ? Optional.empty() : DebianKernelVersion.parse(abi);
    }
}
