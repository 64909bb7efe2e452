package dev.ktstr.runtime.kernel.image;

import dev.ktstr.kvm.elf.ElfException;
import dev.ktstr.kvm.elf.ElfFile;
import dev.ktstr.runtime.kernel.KernelException;
import dev.ktstr.runtime.kernel.KernelException.Kind;
import java.nio.ByteBuffer;
import java.util.OptionalLong;

/**
 * What the harness needs to know about an uncompressed kernel (vmlinux ELF): that it is an x86-64 ELF,
 * whether it carries BTF (the {@code .BTF} section the monitor and the BPF schedulers read) and whether
 * it can be entered directly through PVH (the {@code XEN_ELFNOTE_PHYS32_ENTRY} note, type 18, from
 * Xen's {@code public/elfnote.h}; Linux emits it with {@code CONFIG_PVH}).
 *
 * @param hasBtf   a {@code .BTF} section is present
 * @param pvhEntry the 32-bit physical PVH entry address, if the note is present
 */
public record VmlinuxFacts(boolean hasBtf, OptionalLong pvhEntry) {

    /** e_machine of x86-64. */
    public static final int EM_X86_64 = 62;
    /** XEN_ELFNOTE_PHYS32_ENTRY. */
    public static final int XEN_ELFNOTE_PHYS32_ENTRY = 18;

    private static final byte[] BANNER = "Linux version ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * The release named in the kernel's {@code linux_banner} ("Linux version 7.3.4+deb13-cloud-amd64 (…"),
     * or "" when the bytes hold no banner.
     */
    public static String bannerRelease(ByteBuffer vmlinux) {
        ByteBuffer b = vmlinux.duplicate();
        int limit = b.limit();
        outer:
        for (int i = b.position(); i + BANNER.length < limit; i++) {
            for (int j = 0; j < BANNER.length; j++) {
                if (b.get(i + j) != BANNER[j]) {
                    continue outer;
                }
            }
            StringBuilder sb = new StringBuilder();
            for (int k = i + BANNER.length; k < limit && sb.length() < 128; k++) {
                char c = (char) (b.get(k) & 0xff);
                if (c <= ' ' || c > '~') {
                    break;
                }
                sb.append(c);
            }
            if (sb.length() > 0 && Character.isDigit(sb.charAt(0))) {
                return sb.toString();
            }
        }
        return "";
    }

    /** Whether the PVH entry note is present. */
    public boolean hasPvhEntry() {
        return pvhEntry.isPresent();
    }

    /**
     * Inspects vmlinux bytes.
     *
     * @throws KernelException {@link Kind#BAD_IMAGE} when the bytes are not an x86-64 ELF
     */
    public static VmlinuxFacts inspect(String name, ByteBuffer vmlinux) throws KernelException {
        if (!ElfFile.looksLikeElf(vmlinux.duplicate())) {
            throw new KernelException(Kind.BAD_IMAGE, name + ": the decompressed payload is not an ELF file");
        }
        try {
            ElfFile elf = ElfFile.parse(name, vmlinux);
            if (elf.machine() != EM_X86_64) {
                throw new KernelException(Kind.BAD_IMAGE, name + ": ELF machine " + elf.machine()
                        + " is not x86-64 (" + EM_X86_64 + ")");
            }
            boolean btf = elf.section(".BTF").filter(s -> s.size() > 0).isPresent();
            OptionalLong pvh = OptionalLong.empty();
            for (ElfFile.Note n : elf.notes()) {
                if (n.type() == XEN_ELFNOTE_PHYS32_ENTRY && "Xen".equals(n.name()) && n.desc().length >= 4) {
                    ByteBuffer d = n.descBuffer();
                    pvh = OptionalLong.of(n.desc().length >= 8 ? d.getLong(0) : Integer.toUnsignedLong(d.getInt(0)));
                    break;
                }
            }
            return new VmlinuxFacts(btf, pvh);
        } catch (ElfException e) {
            throw new KernelException(Kind.BAD_IMAGE, e.getMessage(), e);
        }
    }
}
