package dev.ktstr.kvm.introspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KernelViewTest {

    private static SyntheticKernel kernel(int cpus) throws Exception {
        Vmlinux v = DevKernel.vmlinux();
        return SyntheticKernel.create(v.btf(), v.imageLayout(), cpus, 64);
    }

    @Test
    void attachesAndTranslatesImageDirectMapAndVmalloc() throws Exception {
        SyntheticKernel k = kernel(4);
        long rq = k.definePerCpu("runqueues", k.sizeOf("rq"));
        for (int cpu = 0; cpu < 4; cpu++) {
            k.set(k.perCpu(rq, cpu), "rq", "nr_running", 10 + cpu);
        }
        long vm = k.allocVmalloc(3 * 4096);
        byte[] pattern = new byte[3 * 4096];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = (byte) (i * 7);
        }
        k.write(vm, pattern);

        KernelView view = k.attach();
        assertEquals(4, view.nrCpuIds());
        assertEquals(4, view.addressSpace().levels());
        for (int cpu = 0; cpu < 4; cpu++) {
            assertEquals(10 + cpu, view.u32(view.perCpu(view.symbol("runqueues"), cpu)));
        }
        assertArrayEquals(pattern, view.read(vm, pattern.length), "a read across vmalloc pages translates each page");
        KernelAddressSpace as = view.addressSpace();
        assertTrue(as.walk(vm + 4096) != as.walk(vm) + 4096, "the synthetic vmalloc pages are not contiguous");
        long direct = k.allocDirect(64);
        assertEquals(as.toPhys(direct), as.walk(direct), "1 GiB direct-map pages walk to the linear address");
        long sym = view.symbol("linux_banner");
        assertEquals(as.toPhys(sym), as.walk(sym), "2 MiB image pages walk to the linear address");
        assertTrue(view.cString(sym, 64).startsWith("Linux version "));
    }

    @Test
    void unmappedKernelAddressIsANamedError() throws Exception {
        KernelView view = kernel(1).attach();
        IntrospectException e = assertThrows(IntrospectException.class,
                () -> view.u64(SyntheticKernel.VMALLOC_START + (1L << 30)));
        assertTrue(e.getMessage().contains("is not mapped"), e.getMessage());
    }

    @Test
    void detectsKaslrFromSymbolsOrMemory() throws Exception {
        SyntheticKernel k = kernel(2);
        List<Map.Entry<String, Long>> shifted = new ArrayList<>();
        for (Map.Entry<String, Long> e : k.symbols().entries()) {
            shifted.add(Map.entry(e.getKey(), e.getValue() + 0x2e00000L));
        }
        KaslrActiveException slid = assertThrows(KaslrActiveException.class, () -> KernelView.attach(k.memory(),
                k.layout(), "vmlinux", k.btf(), KernelSymbols.of("kallsyms", shifted)));
        assertTrue(slid.getMessage().startsWith("KASLR active (boot with nokaslr): _text is at 0xffffffff83e00000"),
                slid.getMessage());

        // Same virtual addresses, but the kernel was loaded elsewhere physically: the banner is not where
        // the unrandomized layout puts it.
        k.write(k.symbols().require("linux_banner"), new byte[16]);
        KaslrActiveException phys = assertThrows(KaslrActiveException.class, k::attach);
        assertTrue(phys.getMessage().contains("linux_banner"), phys.getMessage());
    }

    @Test
    void refusesARandomizedDirectMapAndAnUnbootedGuest() throws Exception {
        SyntheticKernel k = kernel(2);
        k.writeU64(k.symbols().require("page_offset_base"), 0xffff9a0000000000L);
        KaslrActiveException e = assertThrows(KaslrActiveException.class, k::attach);
        assertTrue(e.getMessage().contains("page_offset_base is 0xffff9a0000000000"), e.getMessage());

        SyntheticKernel early = kernel(2);
        early.writeUnsigned(early.symbols().require("nr_cpu_ids"), 4, 0);
        IntrospectException n = assertThrows(IntrospectException.class, early::attach);
        assertTrue(n.getMessage().contains("nr_cpu_ids reads 0"), n.getMessage());
    }

    @Test
    void walksFiveLevelTablesWithLargePages() throws Exception {
        // Hand-built 5-level tables: PML5 at 0x1000, PML4 at 0x2000, PDPT at 0x3000, PD at 0x4000, PT at 0x5000.
        ByteBuffer ram = ByteBuffer.allocate(1 << 22).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long va4k = 0xff11000000000000L + 0x12345000L + 0x678; // direct-map-like address, via 4 KiB page
        long pml5 = (va4k >>> 48) & 0x1ff;
        long pml4 = (va4k >>> 39) & 0x1ff;
        long pdpt = (va4k >>> 30) & 0x1ff;
        long pd = (va4k >>> 21) & 0x1ff;
        long pt = (va4k >>> 12) & 0x1ff;
        ram.putLong((int) (0x1000 + pml5 * 8), 0x2000 | 3);
        ram.putLong((int) (0x2000 + pml4 * 8), 0x3000 | 3);
        ram.putLong((int) (0x3000 + pdpt * 8), 0x4000 | 3);
        ram.putLong((int) (0x4000 + pd * 8), 0x5000 | 3);
        ram.putLong((int) (0x5000 + pt * 8), 0x300000 | 3 | (1L << 63)); // NX bit must be masked off
        ram.putLong((int) (0x3000 + ((pdpt + 1) & 0x1ff) * 8), 0x40000000L | 0x83); // 1 GiB page
        ram.putLong((int) (0x4000 + ((pd + 1) & 0x1ff) * 8), 0x200000 | 0x83); // 2 MiB page
        KernelAddressSpace as = new KernelAddressSpace(new BufferGuestMemory(ram), 0xffffffff81000000L,
                0xffffffff82000000L, 0, 0xff11000000000000L, 5, 0x1000);
        assertEquals(0x300678, as.walk(va4k));
        assertEquals(0x40000000L + 0xabcde, as.walk((va4k & ~((1L << 30) - 1)) + (1L << 30) + 0xabcde));
        assertEquals(0x200000 + 0x1234, as.walk((va4k & ~((1L << 21) - 1)) + (1L << 21) + 0x1234));
        IntrospectException e = assertThrows(IntrospectException.class, () -> as.walk(0xff22000000000000L));
        assertTrue(e.getMessage().contains("level-5 entry"), e.getMessage());
        assertInstanceOf(IntrospectException.class, e);
    }
}
