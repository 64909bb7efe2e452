package dev.ktstr.kvm.introspect;

import dev.ktstr.kvm.engine.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A guest memory image laid out the way an unrandomized x86-64 kernel lays out its memory, with the
 * struct layouts of a real kernel's BTF: 4-level page tables at {@code init_top_pgt} mapping the
 * kernel image (2 MiB pages), the direct map (1 GiB pages) and a vmalloc area (4 KiB pages whose
 * physical pages run backwards, so a read across a page boundary must translate every page);
 * {@code linux_banner}, {@code page_offset_base}, {@code nr_cpu_ids} and {@code __per_cpu_offset} hold
 * what a booted kernel holds. Callers place further objects (runqueues, a scheduler instance, BPF
 * maps) and set their fields by BTF path.
 *
 * <p>It exists so that readers of guest memory can be tested and benchmarked exactly (every value is
 * known) without booting a guest. It is not a kernel: nothing changes unless the caller writes.
 */
public final class SyntheticKernel {

    private static final long MB = 1 << 20;
    private static final long PAGE = 4096;
    private static final long PRESENT_RW = 0x3;
    private static final long PAGE_SIZE_BIT = 1L << 7;
    /** {@code VMALLOC_START} with 4-level paging and no KASLR. */
    public static final long VMALLOC_START = 0xffffc90000000000L;
    private static final long PERCPU_AREA = 64 * 1024;

    private final ByteBuffer ram;
    private final BufferGuestMemory memory;
    private final Btf btf;
    private final ImageLayout layout;
    private final int cpus;
    private final List<Map.Entry<String, Long>> symbols = new ArrayList<>();
    private final long textPa;
    private long ptNext = MB;
    private long directNext = 4 * MB;
    private long imageNext;
    private long vmallocPaTop;
    private long vmallocVaNext = VMALLOC_START;
    private final long rootPa;
    private final KernelAddressSpace space;
    private final long perCpuTemplate;
    private long perCpuNext;
    private final long[] perCpuOffsets;

    private SyntheticKernel(Btf btf, ImageLayout layout, int cpus, int ramMb) throws IntrospectException {
        if (cpus < 1 || cpus > 256) {
            throw new IllegalArgumentException("cpus must be 1..256, got " + cpus);
        }
        this.btf = btf;
        this.layout = layout;
        this.cpus = cpus;
        this.ram = ByteBuffer.allocate(ramMb * (int) MB).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        this.memory = new BufferGuestMemory(ram);
        this.textPa = layout.textAddress() - KernelAddressSpace.START_KERNEL_MAP;
        if (textPa < 16 * MB || ramMb * MB < textPa + 32 * MB) {
            throw new IllegalArgumentException("need the image at >= 16 MiB and RAM >= image + 32 MiB (image at "
                    + textPa / MB + " MiB, RAM " + ramMb + " MiB)");
        }
        this.imageNext = textPa + 2 * MB;
        this.vmallocPaTop = ramMb * MB;

        long root = imageAlloc(PAGE, PAGE);
        symbols.add(Map.entry("init_top_pgt", root));
        rootPa = root - KernelAddressSpace.START_KERNEL_MAP;
        for (long off = 0; off < (1L << 30); off += 2 * MB) {
            map(KernelAddressSpace.START_KERNEL_MAP + off, off, 2);
        }
        for (long off = 0; off < 4L << 30; off += 1L << 30) {
            map(KernelAddressSpace.PAGE_OFFSET_L4 + off, off, 3);
        }
        space = new KernelAddressSpace(memory, layout.textAddress(), layout.end(), 0, KernelAddressSpace.PAGE_OFFSET_L4,
                4, rootPa);

        symbols.add(Map.entry("_text", layout.textAddress()));
        long banner = defineSymbol("linux_banner", 128);
        byte[] text = "Linux version 0.0.0-synthetic (ktstr SyntheticKernel)\n".getBytes(StandardCharsets.US_ASCII);
        space.write(banner, text, 0, text.length);
        writeU64(defineSymbol("page_offset_base", 8), KernelAddressSpace.PAGE_OFFSET_L4);
        writeUnsigned(defineSymbol("nr_cpu_ids", 4), 4, cpus);
        perCpuTemplate = imageAlloc(PERCPU_AREA, PAGE);
        perCpuNext = perCpuTemplate;
        perCpuOffsets = new long[cpus];
        long offsets = defineSymbol("__per_cpu_offset", 8L * cpus);
        for (int cpu = 0; cpu < cpus; cpu++) {
            long area = allocDirect(PERCPU_AREA);
            perCpuOffsets[cpu] = area - perCpuTemplate;
            writeU64(offsets + 8L * cpu, perCpuOffsets[cpu]);
        }
    }

    /**
     * An image for a kernel with this BTF and link layout.
     *
     * @param cpus  possible CPUs (1..256)
     * @param ramMb guest RAM; must leave 32 MiB above the image's physical start
     */
    public static SyntheticKernel create(Btf btf, ImageLayout layout, int cpus, int ramMb) throws IntrospectException {
        return new SyntheticKernel(btf, layout, cpus, ramMb);
    }

    public GuestMemory memory() {
        return memory;
    }

    public Btf btf() {
        return btf;
    }

    public ImageLayout layout() {
        return layout;
    }

    public int cpus() {
        return cpus;
    }

    /** The symbols defined so far. */
    public KernelSymbols symbols() {
        return KernelSymbols.of("synthetic kernel", symbols);
    }

    /** Attaches a {@link KernelView}, as the monitor would to a real guest. */
    public KernelView attach() throws IntrospectException {
        return KernelView.attach(memory, layout, "synthetic kernel", btf, symbols());
    }

    private long imageAlloc(long size, long align) {
        long pa = (imageNext + align - 1) & -align;
        imageNext = pa + size;
        if (imageNext > textPa + 32 * MB) {
            throw new IllegalStateException("synthetic kernel image area exhausted");
        }
        return KernelAddressSpace.START_KERNEL_MAP + pa;
    }

    /** Defines a zeroed global variable of {@code size} bytes in the kernel image; returns its address. */
    public long defineSymbol(String name, long size) {
        long kva = imageAlloc(Math.max(size, 8), 64);
        symbols.add(Map.entry(name, kva));
        return kva;
    }

    /** Defines a per-CPU variable (a {@code DEFINE_PER_CPU}); returns its address in the per-CPU template. */
    public long definePerCpu(String name, long size) {
        long kva = allocPerCpu(size);
        symbols.add(Map.entry(name, kva));
        return kva;
    }

    /** Allocates a per-CPU object ({@code alloc_percpu}); returns the per-CPU pointer. */
    public long allocPerCpu(long size) {
        long kva = (perCpuNext + 63) & -64L;
        perCpuNext = kva + size;
        if (perCpuNext > perCpuTemplate + PERCPU_AREA) {
            throw new IllegalStateException("synthetic per-CPU area exhausted");
        }
        return kva;
    }

    /** CPU {@code cpu}'s copy of the per-CPU object at {@code kva}. */
    public long perCpu(long kva, int cpu) {
        return kva + perCpuOffsets[cpu];
    }

    /** Allocates {@code size} zeroed bytes in the direct map ({@code kmalloc}); returns the address. */
    public long allocDirect(long size) {
        long pa = (directNext + 63) & -64L;
        directNext = pa + size;
        if (directNext > textPa) {
            throw new IllegalStateException("synthetic direct-map area exhausted");
        }
        return KernelAddressSpace.PAGE_OFFSET_L4 + pa;
    }

    /**
     * Allocates {@code size} zeroed bytes in the vmalloc area ({@code vmalloc}): virtually contiguous,
     * physically in descending 4 KiB pages. Returns the address.
     */
    public long allocVmalloc(long size) throws IntrospectException {
        long va = vmallocVaNext;
        long pages = (size + PAGE - 1) / PAGE;
        for (long i = 0; i < pages; i++) {
            vmallocPaTop -= PAGE;
            if (vmallocPaTop < textPa + 32 * MB) {
                throw new IllegalStateException("synthetic vmalloc pool exhausted");
            }
            map(va + i * PAGE, vmallocPaTop, 1);
        }
        vmallocVaNext = va + (pages + 1) * PAGE; // a guard page, as vmalloc leaves
        return va;
    }

    /** Maps {@code va} to {@code pa} with a page of the given level (1: 4 KiB, 2: 2 MiB, 3: 1 GiB). */
    private void map(long va, long pa, int leafLevel) {
        long table = rootPa;
        for (int level = 4; level > leafLevel; level--) {
            long slot = table + ((va >>> (12 + 9 * (level - 1))) & 0x1ff) * 8;
            long e = ram.getLong((int) slot);
            if ((e & 1) == 0) {
                long next = ptNext;
                ptNext += PAGE;
                if (ptNext > 4 * MB) {
                    throw new IllegalStateException("synthetic page-table area exhausted");
                }
                e = next | PRESENT_RW;
                ram.putLong((int) slot, e);
            }
            table = e & 0x000ffffffffff000L;
        }
        long slot = table + ((va >>> (12 + 9 * (leafLevel - 1))) & 0x1ff) * 8;
        ram.putLong((int) slot, pa | PRESENT_RW | (leafLevel > 1 ? PAGE_SIZE_BIT : 0));
    }

    /** Writes {@code size} bytes of {@code value} at kernel address {@code kva}. */
    public void writeUnsigned(long kva, int size, long value) throws IntrospectException {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (value >>> (8 * i));
        }
        space.write(kva, b, 0, size);
    }

    public void writeU64(long kva, long value) throws IntrospectException {
        writeUnsigned(kva, 8, value);
    }

    public void write(long kva, byte[] bytes) throws IntrospectException {
        space.write(kva, bytes, 0, bytes.length);
    }

    /** Sets the integer member {@code path} of the {@code type} object at {@code kva}. */
    public void set(long kva, String type, String path, long value) throws IntrospectException {
        FieldLocation f = btf.field(type, path);
        if (f.isBitfield()) {
            throw new IllegalArgumentException(type + "." + path + " is a bitfield");
        }
        writeUnsigned(kva + f.byteOffset(), (int) f.byteSize(), value);
    }

    /** Size of {@code struct type} in this kernel's BTF. */
    public long sizeOf(String type) throws IntrospectException {
        return btf.struct(type).size();
    }
}
