package dev.ktstr.kvm.introspect;

import dev.ktstr.kvm.engine.GuestMemory;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A running guest kernel seen from the host: guest RAM read through the kernel's own address space,
 * with its BTF and symbol addresses. {@link #attach} validates every assumption it makes before it
 * returns (unrandomized layout, paging depth, direct-map base, CPU count), so a reader built on a view
 * never turns a wrong guess into a plausible-looking number.
 *
 * <p>Nothing here asks the guest for help; the guest does not know it is being read. Reads race with
 * the running kernel: each aligned field of up to 8 bytes is read as the guest last stored it, but a
 * multi-field read is not a consistent snapshot.
 */
public final class KernelView {

    private static final byte[] BANNER = "Linux version ".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_CPUS = 8192;

    private final KernelAddressSpace space;
    private final KernelSymbols symbols;
    private final Btf btf;
    private final int nrCpuIds;
    private final long[] perCpuOffsets;

    private KernelView(KernelAddressSpace space, KernelSymbols symbols, Btf btf, long[] perCpuOffsets) {
        this.space = space;
        this.symbols = symbols;
        this.btf = btf;
        this.nrCpuIds = perCpuOffsets.length;
        this.perCpuOffsets = perCpuOffsets;
    }

    /**
     * Fails with {@link KaslrActiveException} when {@code symbols} (from the guest's kallsyms) place
     * {@code _text} anywhere but where the vmlinux was linked: the guest was booted with KASLR.
     */
    public static void checkNotRandomized(Vmlinux vmlinux, KernelSymbols symbols) throws KaslrActiveException {
        checkNotRandomized(vmlinux.imageLayout(), vmlinux.path().toString(), symbols);
    }

    private static void checkNotRandomized(ImageLayout image, String imageName, KernelSymbols symbols)
            throws KaslrActiveException {
        Optional<Long> text = symbols.find("_text");
        if (text.isPresent() && text.get() != image.textAddress()) {
            throw new KaslrActiveException("_text is at 0x" + Long.toHexString(text.get()) + " in the guest but 0x"
                    + Long.toHexString(image.textAddress()) + " in " + imageName);
        }
    }

    /**
     * Attaches to a booted guest kernel.
     *
     * @param memory  the guest's RAM
     * @param vmlinux the exact kernel the guest runs (its BTF and link addresses)
     * @param symbols that kernel's symbol addresses (vmlinux symtab or the guest's kallsyms)
     */
    public static KernelView attach(GuestMemory memory, Vmlinux vmlinux, KernelSymbols symbols)
            throws IntrospectException {
        return attach(memory, vmlinux.imageLayout(), vmlinux.path().toString(), vmlinux.btf(), symbols);
    }

    /**
     * Attaches given the pieces of a vmlinux separately (a {@link SyntheticKernel}, or BTF from
     * elsewhere).
     *
     * @param imageName names the image in messages
     */
    public static KernelView attach(GuestMemory memory, ImageLayout layout, String imageName, Btf btf,
            KernelSymbols symbols) throws IntrospectException {
        checkNotRandomized(layout, imageName, symbols);
        long imageStart = layout.textAddress();
        long imageEnd = layout.end();
        // Until the direct map and page tables are known, only the image mapping may be used.
        KernelAddressSpace image = new KernelAddressSpace(memory, imageStart, imageEnd, 0,
                KernelAddressSpace.PAGE_OFFSET_L4, 4, 0);

        Optional<Long> banner = symbols.find("linux_banner");
        if (banner.isPresent()) {
            byte[] b = new byte[BANNER.length];
            image.read(banner.get(), b, 0, b.length);
            if (!java.util.Arrays.equals(b, BANNER)) {
                throw new KaslrActiveException("linux_banner (0x" + Long.toHexString(banner.get())
                        + ") does not hold \"Linux version\" at its unrandomized physical address (found '"
                        + printable(b) + "')");
            }
        }

        long pageOffsetBase = KernelAddressSpace.PAGE_OFFSET_L4;
        Optional<Long> pobSym = symbols.find("page_offset_base");
        if (pobSym.isPresent()) {
            pageOffsetBase = readU64(image, pobSym.get());
            if (pageOffsetBase != KernelAddressSpace.PAGE_OFFSET_L4 && pageOffsetBase != KernelAddressSpace.PAGE_OFFSET_L5) {
                throw new KaslrActiveException("page_offset_base is 0x" + Long.toHexString(pageOffsetBase)
                        + ", not the unrandomized 0x" + Long.toHexString(KernelAddressSpace.PAGE_OFFSET_L4) + " or 0x"
                        + Long.toHexString(KernelAddressSpace.PAGE_OFFSET_L5));
            }
        }

        long rootSym = symbols.find("init_top_pgt").or(() -> symbols.find("swapper_pg_dir")).orElseThrow(
                () -> new IntrospectException("neither init_top_pgt nor swapper_pg_dir in " + symbols.source()));
        long rootPa = image.toPhys(rootSym);
        int preferred = pageOffsetBase == KernelAddressSpace.PAGE_OFFSET_L5 ? 5 : 4;
        Optional<Long> pgdirShift = symbols.find("pgdir_shift");
        if (pgdirShift.isPresent()) {
            int shift = readU32(image, pgdirShift.get());
            if (shift == 48 || shift == 39) {
                preferred = shift == 48 ? 5 : 4;
            }
        }
        KernelAddressSpace space = null;
        StringBuilder tried = new StringBuilder();
        for (int levels : new int[] {preferred, 9 - preferred}) {
            KernelAddressSpace candidate = new KernelAddressSpace(memory, imageStart, imageEnd, 0, pageOffsetBase,
                    levels, rootPa);
            String problem = selfCheck(candidate, imageStart);
            if (problem == null) {
                space = candidate;
                break;
            }
            tried.append(tried.length() == 0 ? "" : "; ").append(levels).append("-level: ").append(problem);
        }
        if (space == null) {
            throw new IntrospectException("the kernel page tables at init_top_pgt (guest physical 0x"
                    + Long.toHexString(rootPa) + ") do not map the kernel as expected: " + tried);
        }

        long nrCpuSym = symbols.require("nr_cpu_ids");
        int nrCpus = readU32(space, nrCpuSym);
        if (nrCpus < 1 || nrCpus > MAX_CPUS) {
            throw new IntrospectException("nr_cpu_ids reads " + Integer.toUnsignedString(nrCpus)
                    + " (expected 1.." + MAX_CPUS + "): the guest has not booted far enough");
        }
        long pcpuSym = symbols.require("__per_cpu_offset");
        long[] offsets = new long[nrCpus];
        for (int cpu = 0; cpu < nrCpus; cpu++) {
            offsets[cpu] = readU64(space, pcpuSym + 8L * cpu);
        }
        return new KernelView(space, symbols, btf, offsets);
    }

    /** Checks that walking the tables agrees with the image and direct mappings; null when it does. */
    private static String selfCheck(KernelAddressSpace s, long imageStart) {
        try {
            long textPa = s.toPhys(imageStart);
            long walked = s.walk(imageStart);
            if (walked != textPa) {
                return "_text walks to 0x" + Long.toHexString(walked) + ", expected 0x" + Long.toHexString(textPa);
            }
            long direct = s.walk(s.pageOffsetBase() + textPa);
            if (direct != textPa) {
                return "the direct map of 0x" + Long.toHexString(textPa) + " walks to 0x" + Long.toHexString(direct);
            }
            return null;
        } catch (IntrospectException e) {
            return e.getMessage();
        }
    }

    private static String printable(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(x >= 0x20 && x < 0x7f ? (char) x : '.');
        }
        return sb.toString();
    }

    private static long readU64(KernelAddressSpace s, long kva) throws IntrospectException {
        byte[] b = new byte[8];
        s.read(kva, b, 0, 8);
        return le(b, 0, 8);
    }

    private static int readU32(KernelAddressSpace s, long kva) throws IntrospectException {
        byte[] b = new byte[4];
        s.read(kva, b, 0, 4);
        return (int) le(b, 0, 4);
    }

    /** Little-endian unsigned value of {@code size} (1..8) bytes at {@code off}. */
    public static long le(byte[] b, int off, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = v << 8 | (b[off + i] & 0xffL);
        }
        return v;
    }

    public KernelAddressSpace addressSpace() {
        return space;
    }

    public KernelSymbols symbols() {
        return symbols;
    }

    public Btf btf() {
        return btf;
    }

    /** {@code nr_cpu_ids}: the number of possible CPUs. */
    public int nrCpuIds() {
        return nrCpuIds;
    }

    /** {@code __per_cpu_offset[cpu]}. */
    public long perCpuOffset(int cpu) {
        return perCpuOffsets[cpu];
    }

    /** The address of CPU {@code cpu}'s instance of the per-CPU object at {@code kva} ({@code per_cpu_ptr}). */
    public long perCpu(long kva, int cpu) {
        return kva + perCpuOffsets[cpu];
    }

    /** The address of symbol {@code name}. */
    public long symbol(String name) throws IntrospectException {
        return symbols.require(name);
    }

    public void read(long kva, byte[] dst, int off, int len) throws IntrospectException {
        space.read(kva, dst, off, len);
    }

    public byte[] read(long kva, int len) throws IntrospectException {
        byte[] b = new byte[len];
        space.read(kva, b, 0, len);
        return b;
    }

    public void write(long kva, byte[] src, int off, int len) throws IntrospectException {
        space.write(kva, src, off, len);
    }

    /** Unsigned little-endian integer of {@code size} (1, 2, 4 or 8) bytes. */
    public long readUnsigned(long kva, int size) throws IntrospectException {
        byte[] b = new byte[size];
        space.read(kva, b, 0, size);
        return le(b, 0, size);
    }

    public long u64(long kva) throws IntrospectException {
        return readUnsigned(kva, 8);
    }

    public int u32(long kva) throws IntrospectException {
        return (int) readUnsigned(kva, 4);
    }

    /** Writes the low {@code size} bytes of {@code value}, little-endian. */
    public void writeUnsigned(long kva, int size, long value) throws IntrospectException {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (value >>> (8 * i));
        }
        space.write(kva, b, 0, size);
    }

    /** A NUL-terminated string of at most {@code max} bytes. */
    public String cString(long kva, int max) throws IntrospectException {
        byte[] b = read(kva, max);
        int n = 0;
        while (n < max && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }
}
