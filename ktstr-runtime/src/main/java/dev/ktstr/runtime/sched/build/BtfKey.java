package dev.ktstr.runtime.sched.build;

import dev.ktstr.kvm.elf.ElfException;
import dev.ktstr.kvm.elf.ElfFile;
import dev.ktstr.runtime.kernel.image.Sha256;
import dev.ktstr.runtime.sched.SchedulerException;
import dev.ktstr.runtime.sched.SchedulerException.Kind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The identity of a kernel's BTF: the SHA-256 of the vmlinux's {@code .BTF} section. Schedulers are
 * compiled against a {@code vmlinux.h} generated from that BTF, so two kernels with the same BTF
 * (a rebuilt image, another compression) share one scheduler build and any change of a kernel type
 * gets a new one. Its first 12 hex digits are part of the scheduler cache key.
 *
 * @param sha256 the full digest, lower-case hex
 */
public record BtfKey(String sha256) {

    /** Hex digits of the digest used in cache keys. */
    public static final int SHORT = 12;

    /** The BTF digest of {@code vmlinux}, an uncompressed kernel ELF. */
    public static BtfKey of(Path vmlinux) throws SchedulerException {
        try {
            ElfFile elf = ElfFile.open(vmlinux);
            var section = elf.section(".BTF").orElseThrow(() -> new SchedulerException(Kind.KERNEL_UNSUITABLE,
                    vmlinux + " has no .BTF section: sched_ext schedulers need a kernel built with "
                            + "CONFIG_DEBUG_INFO_BTF"));
            ByteBuffer btf = elf.sectionBytes(section);
            MessageDigest md = Sha256.digest();
            md.update(btf);
            return new BtfKey(HexFormat.of().formatHex(md.digest()));
        } catch (IOException | ElfException e) {
            throw new SchedulerException(Kind.KERNEL_UNSUITABLE, "cannot read the BTF of " + vmlinux + ": "
                    + e.getMessage(), e);
        }
    }

    /** The first {@value #SHORT} hex digits. */
    public String shortId() {
        return sha256.substring(0, SHORT);
    }
}
