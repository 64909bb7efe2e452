package dev.ktstr.kvm.introspect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BpfMapsTest {

    private static final int ARRAY = 2;
    private static final int PERCPU_ARRAY = 6;
    private static final int HASH = 1;

    private SyntheticKernel k;
    private long bssMap;
    private long statsMap;

    @BeforeEach
    void guestWithMaps() throws Exception {
        Vmlinux v = DevKernel.vmlinux();
        k = SyntheticKernel.create(v.btf(), v.imageLayout(), 3, 64);
        long idr = k.defineSymbol("map_idr", k.sizeOf("idr"));

        BtfWriter w = new BtfWriter();
        int s32 = w.intType("int", 4, true);
        int u64 = w.intType("long long unsigned int", 8, false);
        int stall = w.var("stall", s32);
        int nr = w.var("nr_dispatched", u64);
        int bss = w.datasec(".bss", 16, new int[] {stall, 0, 4}, new int[] {nr, 8, 8});
        long btf = placeBtf(w.bytes());

        bssMap = placeMap("scx_simple.bss", ARRAY, 16, 1, 7, btf, bss);
        statsMap = placeMap("stats", PERCPU_ARRAY, 8, 2, 8, 0, 0);
        long hash = placeMap("task_ctx", HASH, 8, 64, 67, 0, 0);

        // Two-level XArray: head -> node(shift 6) -> leaf nodes (shift 0) holding ids 7, 8 and 67.
        long top = node(6);
        long leaf0 = node(0);
        long leaf1 = node(0);
        setSlot(top, 0, leaf0 | 2);
        setSlot(top, 1, leaf1 | 2);
        setSlot(leaf0, 7, bssMap);
        setSlot(leaf0, 8, statsMap);
        setSlot(leaf0, 9, 0x406); // XA_ZERO_ENTRY-like internal entry: skipped
        setSlot(leaf1, 3, hash);
        k.set(idr, "idr", "idr_rt.xa_head", top | 2);
    }

    private long node(int shift) throws Exception {
        long n = k.allocDirect(k.sizeOf("xa_node"));
        k.set(n, "xa_node", "shift", shift);
        return n;
    }

    private void setSlot(long node, int slot, long value) throws Exception {
        k.writeU64(node + k.btf().field("xa_node", "slots[" + slot + "]").byteOffset(), value);
    }

    private long placeBtf(byte[] blob) throws Exception {
        long data = k.allocVmalloc(blob.length);
        k.write(data, blob);
        long btf = k.allocDirect(k.sizeOf("btf"));
        k.set(btf, "btf", "data", data);
        k.set(btf, "btf", "data_size", blob.length);
        return btf;
    }

    private long placeMap(String name, int type, int valueSize, int maxEntries, int id, long btf, int valueTypeId)
            throws Exception {
        int elem = (valueSize + 7) & ~7;
        long arrayHdr = k.sizeOf("bpf_array");
        long size = arrayHdr + (long) maxEntries * (type == PERCPU_ARRAY ? 8 : elem);
        long map = k.allocVmalloc(size);
        k.set(map, "bpf_map", "map_type", type);
        k.set(map, "bpf_map", "key_size", 4);
        k.set(map, "bpf_map", "value_size", valueSize);
        k.set(map, "bpf_map", "max_entries", maxEntries);
        k.set(map, "bpf_map", "id", id);
        k.set(map, "bpf_map", "btf", btf);
        k.set(map, "bpf_map", "btf_value_type_id", valueTypeId);
        k.write(map + k.btf().field("bpf_map", "name").byteOffset(), name.getBytes(StandardCharsets.US_ASCII));
        k.set(map, "bpf_array", "elem_size", elem);
        if (type == PERCPU_ARRAY) {
            for (int i = 0; i < maxEntries; i++) {
                k.writeU64(map + arrayHdr + 8L * i, k.allocPerCpu(elem));
            }
        }
        return map;
    }

    @Test
    void listsMapsThroughMultiLevelIdr() throws Exception {
        List<BpfMapInfo> maps = BpfMaps.open(k.attach()).list();
        assertEquals(List.of("scx_simple.bss", "stats", "task_ctx"), maps.stream().map(BpfMapInfo::name).toList());
        BpfMapInfo bss = maps.get(0);
        assertEquals(7, bss.id());
        assertEquals("BPF_MAP_TYPE_ARRAY", bss.typeName());
        assertEquals(16, bss.valueSize());
        assertEquals("BPF_MAP_TYPE_HASH", maps.get(2).typeName());
    }

    @Test
    void readsAndWritesBssVariablesByNameThroughTheProgramsBtf() throws Exception {
        KernelView view = k.attach();
        BpfArrayMap bss = BpfMaps.open(view).openArray(".bss");
        assertFalse(bss.perCpu());
        MapField stall = bss.field("stall");
        assertEquals(0, stall.offset());
        assertEquals(4, stall.size());
        assertTrue(stall.signed());
        MapField nr = bss.field("nr_dispatched");
        assertEquals(8, nr.offset());

        bss.writeField(0, stall, -1);
        bss.writeField(0, nr, 123456789012L);
        assertEquals(-1, bss.readField(0, stall));
        assertEquals(123456789012L, bss.readField(0, nr));
        byte[] raw = bss.read(0);
        assertEquals((byte) 0xff, raw[3]);
        assertEquals(123456789012L, KernelView.le(raw, 8, 8));
        // The write went to the map's value in guest memory, where the BPF program reads it.
        long valueKva = bssMap + k.btf().field("bpf_array", "value").byteOffset();
        assertEquals(0xffffffffL, view.readUnsigned(valueKva, 4));

        IntrospectException e = assertThrows(IntrospectException.class, () -> bss.field("nope"));
        assertTrue(e.getMessage().contains("no variable 'nope'"), e.getMessage());
        assertThrows(IntrospectException.class, () -> bss.read(1), "index beyond max_entries");
    }

    @Test
    void perCpuArrayValuesAreSeparatePerCpu() throws Exception {
        BpfArrayMap stats = BpfMaps.open(k.attach()).openArray("stats");
        assertTrue(stats.perCpu());
        for (int cpu = 0; cpu < 3; cpu++) {
            byte[] v = new byte[8];
            v[0] = (byte) (cpu + 1);
            stats.write(1, cpu, v);
        }
        for (int cpu = 0; cpu < 3; cpu++) {
            assertEquals(cpu + 1, stats.read(1, cpu)[0]);
            assertArrayEquals(new byte[8], stats.read(0, cpu));
        }
        assertThrows(IllegalStateException.class, () -> stats.read(0), "a per-CPU map needs a cpu");
        IntrospectException noBtf = assertThrows(IntrospectException.class, () -> stats.field("x"));
        assertTrue(noBtf.getMessage().contains("without BTF"), noBtf.getMessage());
    }

    @Test
    void ambiguousOrMissingNamesListWhatExists() throws Exception {
        BpfMaps maps = BpfMaps.open(k.attach());
        IntrospectException none = assertThrows(IntrospectException.class, () -> maps.openArray(".data"));
        assertTrue(none.getMessage().contains("no array maps named *.data among 3 maps"), none.getMessage());
        assertTrue(none.getMessage().contains("task_ctx (BPF_MAP_TYPE_HASH)"), none.getMessage());
        IntrospectException two = assertThrows(IntrospectException.class, () -> maps.openArray("s"));
        assertTrue(two.getMessage().startsWith("2 array maps"), two.getMessage());
    }
}
