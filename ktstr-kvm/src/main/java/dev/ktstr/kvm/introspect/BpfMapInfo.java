package dev.ktstr.kvm.introspect;

/**
 * One BPF map of the guest kernel, as found through {@code map_idr}.
 *
 * @param kva              kernel address of its {@code struct bpf_map}
 * @param id               the map id ({@code bpftool map show} shows the same)
 * @param name             {@code bpf_map.name}, e.g. {@code scx_simple.bss}
 * @param type             {@code enum bpf_map_type} value
 * @param typeName         that value's enumerator, e.g. {@code BPF_MAP_TYPE_ARRAY}
 * @param btfKva           kernel address of the map's {@code struct btf} (0 without BTF)
 * @param btfValueTypeId   type id of the value in that BTF (0 without BTF)
 */
public record BpfMapInfo(long kva, int id, String name, int type, String typeName, int keySize, int valueSize,
        int maxEntries, int flags, long btfKva, int btfValueTypeId) {}
