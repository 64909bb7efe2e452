package dev.ktstr.kvm.introspect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The guest kernel's BPF maps, found by walking {@code map_idr} (kernel/bpf/syscall.c) and reading
 * each {@code struct bpf_map} with offsets from the kernel BTF. Opens ARRAY and PERCPU_ARRAY maps by
 * name for reading and writing ({@link BpfArrayMap}); the map type numbers come from the kernel's own
 * {@code enum bpf_map_type}, not from a copy of the UAPI header.
 */
public final class BpfMaps {

    private static final int NAME_LEN = 16;

    private final KernelView kernel;
    private final IdrWalker idr;
    private final long mapIdr;
    private final Map<Long, String> typeNames = new HashMap<>();
    private final long arrayType;
    private final long percpuArrayType;
    private final ScalarField mapType;
    private final ScalarField keySize;
    private final ScalarField valueSize;
    private final ScalarField maxEntries;
    private final ScalarField mapFlags;
    private final ScalarField id;
    private final ScalarField btfPtr;
    private final ScalarField btfValueTypeId;
    private final long nameOffset;
    private final long arrayValueOffset;
    private final long arrayElemSizeOffset;
    private final long btfDataOffset;
    private final long btfDataSizeOffset;
    private final long btfStartIdOffset;

    private BpfMaps(KernelView kernel) throws IntrospectException {
        Btf btf = kernel.btf();
        this.kernel = kernel;
        this.idr = new IdrWalker(kernel);
        this.mapIdr = kernel.symbol("map_idr");
        for (BtfType t : btf.byName("bpf_map_type")) {
            if (t instanceof BtfType.Enum e) {
                e.values().forEach(v -> typeNames.put(v.value(), v.name()));
            }
        }
        this.arrayType = btf.enumerator("BPF_MAP_TYPE_ARRAY");
        this.percpuArrayType = btf.enumerator("BPF_MAP_TYPE_PERCPU_ARRAY");
        this.mapType = ScalarField.resolve(btf, "bpf_map", "map_type");
        this.keySize = ScalarField.resolve(btf, "bpf_map", "key_size");
        this.valueSize = ScalarField.resolve(btf, "bpf_map", "value_size");
        this.maxEntries = ScalarField.resolve(btf, "bpf_map", "max_entries");
        this.mapFlags = ScalarField.resolve(btf, "bpf_map", "map_flags");
        this.id = ScalarField.resolve(btf, "bpf_map", "id");
        this.btfPtr = ScalarField.resolve(btf, "bpf_map", "btf");
        this.btfValueTypeId = ScalarField.resolve(btf, "bpf_map", "btf_value_type_id");
        FieldLocation name = btf.field("bpf_map", "name");
        if (name.byteSize() != NAME_LEN) {
            throw new IntrospectException("bpf_map.name is " + name.byteSize() + " bytes, expected BPF_OBJ_NAME_LEN "
                    + NAME_LEN);
        }
        this.nameOffset = name.byteOffset();
        this.arrayValueOffset = btf.field("bpf_array", "value").byteOffset();
        this.arrayElemSizeOffset = btf.field("bpf_array", "elem_size").byteOffset();
        if (btf.field("bpf_array", "map").byteOffset() != 0) {
            throw new IntrospectException("bpf_array.map is not the first member: map pointers are not array pointers");
        }
        this.btfDataOffset = btf.field("btf", "data").byteOffset();
        this.btfDataSizeOffset = btf.field("btf", "data_size").byteOffset();
        this.btfStartIdOffset = btf.findField("btf", "start_id").map(FieldLocation::byteOffset).orElse(-1L);
    }

    /** Resolves everything needed; fails with the missing piece named. */
    public static BpfMaps open(KernelView kernel) throws IntrospectException {
        return new BpfMaps(kernel);
    }

    /** All maps currently in {@code map_idr}. */
    public List<BpfMapInfo> list() throws IntrospectException {
        List<BpfMapInfo> out = new ArrayList<>();
        for (long kva : idr.entries(mapIdr)) {
            out.add(info(kva));
        }
        return out;
    }

    private BpfMapInfo info(long kva) throws IntrospectException {
        int type = (int) mapType.read(kernel, kva);
        return new BpfMapInfo(kva, (int) id.read(kernel, kva), kernel.cString(kva + nameOffset, NAME_LEN), type,
                typeNames.getOrDefault((long) type, "type " + type), (int) keySize.read(kernel, kva),
                (int) valueSize.read(kernel, kva), (int) maxEntries.read(kernel, kva), (int) mapFlags.read(kernel, kva),
                btfPtr.read(kernel, kva), (int) btfValueTypeId.read(kernel, kva));
    }

    /**
     * Opens the one ARRAY or PERCPU_ARRAY map whose name ends with {@code nameSuffix} (libbpf names a
     * program's {@code .bss} map {@code <object>.bss}, truncated to 15 characters).
     */
    public BpfArrayMap openArray(String nameSuffix) throws IntrospectException {
        List<BpfMapInfo> all = list();
        List<BpfMapInfo> hits = new ArrayList<>();
        for (BpfMapInfo m : all) {
            if (m.name().endsWith(nameSuffix) && (m.type() == arrayType || m.type() == percpuArrayType)) {
                hits.add(m);
            }
        }
        if (hits.size() != 1) {
            StringBuilder names = new StringBuilder();
            for (BpfMapInfo m : all) {
                names.append(names.length() == 0 ? "" : ", ").append(m.name()).append(" (").append(m.typeName())
                        .append(')');
            }
            throw new IntrospectException((hits.isEmpty() ? "no" : hits.size()) + " array maps named *" + nameSuffix
                    + " among " + all.size() + " maps" + (all.isEmpty() ? "" : ": " + names));
        }
        BpfMapInfo m = hits.get(0);
        if (m.btfKva() != 0 && btfStartIdOffset >= 0 && kernel.u32(m.btfKva() + btfStartIdOffset) != 0) {
            throw new IntrospectException("map " + m.name() + " has split BTF (start_id "
                    + Integer.toUnsignedString(kernel.u32(m.btfKva() + btfStartIdOffset)) + "): not supported");
        }
        return new BpfArrayMap(kernel, m, m.type() == percpuArrayType, arrayValueOffset, arrayElemSizeOffset,
                btfDataOffset, btfDataSizeOffset);
    }
}
