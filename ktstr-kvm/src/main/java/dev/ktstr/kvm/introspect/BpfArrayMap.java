package dev.ktstr.kvm.introspect;

import java.nio.ByteBuffer;

/**
 * Read and write access to one {@code BPF_MAP_TYPE_ARRAY} or {@code BPF_MAP_TYPE_PERCPU_ARRAY} map in
 * guest memory ({@code kernel/bpf/arraymap.c}): element {@code i} of an array lives at {@code
 * bpf_array.value + i * elem_size}; of a per-CPU array at {@code per_cpu_ptr(bpf_array.pptrs[i], cpu)}.
 * Named fields come from the map's own BTF ({@code bpf_map.btf}, copied out of guest memory once).
 * Writes land in the live map without the guest's knowledge, exactly as a store by the BPF program
 * would; there is no locking against concurrent BPF updates of the same bytes.
 */
public final class BpfArrayMap {

    private final KernelView kernel;
    private final BpfMapInfo info;
    private final boolean perCpu;
    private final long valueBase;
    private final int elemSize;
    private final long btfDataOffset;
    private final long btfDataSizeOffset;
    private Btf btf;

    BpfArrayMap(KernelView kernel, BpfMapInfo info, boolean perCpu, long valueOffset, long elemSizeOffset,
            long btfDataOffset, long btfDataSizeOffset) throws IntrospectException {
        this.kernel = kernel;
        this.info = info;
        this.perCpu = perCpu;
        this.valueBase = info.kva() + valueOffset;
        this.elemSize = kernel.u32(info.kva() + elemSizeOffset);
        this.btfDataOffset = btfDataOffset;
        this.btfDataSizeOffset = btfDataSizeOffset;
        if (elemSize < info.valueSize() || elemSize > info.valueSize() + 7) {
            throw new IntrospectException("map " + info.name() + ": elem_size " + elemSize + " does not fit value_size "
                    + info.valueSize() + " (not an array map?)");
        }
    }

    public BpfMapInfo info() {
        return info;
    }

    public boolean perCpu() {
        return perCpu;
    }

    private long elementAddress(int index, int cpu) throws IntrospectException {
        if (index < 0 || index >= info.maxEntries()) {
            throw new IntrospectException("map " + info.name() + ": index " + index + " outside [0, "
                    + info.maxEntries() + ")");
        }
        if (!perCpu) {
            return valueBase + (long) index * elemSize;
        }
        if (cpu < 0 || cpu >= kernel.nrCpuIds()) {
            throw new IntrospectException("map " + info.name() + ": cpu " + cpu + " outside [0, " + kernel.nrCpuIds()
                    + ")");
        }
        long pptr = kernel.u64(valueBase + 8L * index);
        return kernel.perCpu(pptr, cpu);
    }

    private void requireKind(boolean wantPerCpu) {
        if (perCpu != wantPerCpu) {
            throw new IllegalStateException("map " + info.name() + " is " + info.typeName()
                    + (perCpu ? ": pass a cpu" : ": it has no per-CPU values"));
        }
    }

    /** The value at {@code index} of an ARRAY map. */
    public byte[] read(int index) throws IntrospectException {
        requireKind(false);
        return kernel.read(elementAddress(index, 0), info.valueSize());
    }

    /** CPU {@code cpu}'s value at {@code index} of a PERCPU_ARRAY map. */
    public byte[] read(int index, int cpu) throws IntrospectException {
        requireKind(true);
        return kernel.read(elementAddress(index, cpu), info.valueSize());
    }

    /** Overwrites the value at {@code index} of an ARRAY map. */
    public void write(int index, byte[] value) throws IntrospectException {
        requireKind(false);
        checkLength(value);
        kernel.write(elementAddress(index, 0), value, 0, value.length);
    }

    /** Overwrites CPU {@code cpu}'s value at {@code index} of a PERCPU_ARRAY map. */
    public void write(int index, int cpu, byte[] value) throws IntrospectException {
        requireKind(true);
        checkLength(value);
        kernel.write(elementAddress(index, cpu), value, 0, value.length);
    }

    private void checkLength(byte[] value) {
        if (value.length != info.valueSize()) {
            throw new IllegalArgumentException("map " + info.name() + ": value of " + value.length + " bytes, map has "
                    + info.valueSize());
        }
    }

    /** The map's BTF (the loading program's), read from guest memory on first use. */
    public synchronized Btf btf() throws IntrospectException {
        if (btf == null) {
            if (info.btfKva() == 0) {
                throw new IntrospectException("map " + info.name() + " was created without BTF: no typed fields");
            }
            long data = kernel.u64(info.btfKva() + btfDataOffset);
            long size = Integer.toUnsignedLong(kernel.u32(info.btfKva() + btfDataSizeOffset));
            if (data == 0 || size < 24 || size > (64 << 20)) {
                throw new IntrospectException("map " + info.name() + ": struct btf at 0x" + Long.toHexString(info.btfKva())
                        + " has data 0x" + Long.toHexString(data) + " size " + size);
            }
            btf = Btf.parse("map " + info.name() + " BTF", ByteBuffer.wrap(kernel.read(data, (int) size)));
        }
        return btf;
    }

    /**
     * A field of the value: for a DATASEC value ({@code .bss}, {@code .data}) a variable name, optionally
     * followed by a member path ({@code stats.nr_queued}); for a struct value a member path.
     */
    public MapField field(String path) throws IntrospectException {
        Btf b = btf();
        int valueType = info.btfValueTypeId();
        if (valueType == 0) {
            throw new IntrospectException("map " + info.name() + " has BTF but no value type id");
        }
        BtfType vt = b.resolved(valueType);
        if (vt instanceof BtfType.Datasec ds) {
            int dot = path.indexOf('.');
            String var = dot < 0 ? path : path.substring(0, dot);
            for (BtfType.VarSecinfo vsi : ds.vars()) {
                if (b.type(vsi.type()) instanceof BtfType.Var v && v.name().equals(var)) {
                    if (dot < 0) {
                        return mapField(b, path, vsi.offset(), vsi.size(), v.type());
                    }
                    FieldLocation loc = b.field(v.type(), var, path.substring(dot + 1));
                    return mapField(b, path, vsi.offset() + loc.byteOffset(), loc.byteSize(), loc.type());
                }
            }
            throw new IntrospectException("map " + info.name() + ": section " + ds.name() + " has no variable '" + var
                    + "'");
        }
        FieldLocation loc = b.field(valueType, b.describe(valueType), path);
        return mapField(b, path, loc.byteOffset(), loc.byteSize(), loc.type());
    }

    private MapField mapField(Btf b, String path, long offset, long size, int type) throws IntrospectException {
        if (offset + size > info.valueSize()) {
            throw new IntrospectException("map " + info.name() + ": field " + path + " [" + offset + ", +" + size
                    + ") lies outside the " + info.valueSize() + "-byte value");
        }
        BtfType t = b.resolved(type);
        boolean signed = t instanceof BtfType.Int i ? i.signed() : t instanceof BtfType.Enum e && e.signed();
        return new MapField(path, offset, (int) size, signed, type);
    }

    /** Reads an integer field (1, 2, 4 or 8 bytes) of the value at {@code index} (ARRAY maps). */
    public long readField(int index, MapField f) throws IntrospectException {
        requireKind(false);
        return readInt(elementAddress(index, 0), f);
    }

    /** Reads an integer field of CPU {@code cpu}'s value at {@code index} (PERCPU_ARRAY maps). */
    public long readField(int index, int cpu, MapField f) throws IntrospectException {
        requireKind(true);
        return readInt(elementAddress(index, cpu), f);
    }

    /** Writes an integer field of the value at {@code index} (ARRAY maps). */
    public void writeField(int index, MapField f, long value) throws IntrospectException {
        requireKind(false);
        writeInt(elementAddress(index, 0), f, value);
    }

    /** Writes an integer field of CPU {@code cpu}'s value at {@code index} (PERCPU_ARRAY maps). */
    public void writeField(int index, int cpu, MapField f, long value) throws IntrospectException {
        requireKind(true);
        writeInt(elementAddress(index, cpu), f, value);
    }

    private static void checkScalar(MapField f) throws IntrospectException {
        if (f.size() != 1 && f.size() != 2 && f.size() != 4 && f.size() != 8) {
            throw new IntrospectException("field " + f.name() + " is " + f.size() + " bytes, not an integer");
        }
    }

    private long readInt(long elem, MapField f) throws IntrospectException {
        checkScalar(f);
        long v = kernel.readUnsigned(elem + f.offset(), f.size());
        if (f.signed() && f.size() < 8) {
            int sh = 64 - 8 * f.size();
            v = (v << sh) >> sh;
        }
        return v;
    }

    private void writeInt(long elem, MapField f, long value) throws IntrospectException {
        checkScalar(f);
        kernel.writeUnsigned(elem + f.offset(), f.size(), value);
    }
}
