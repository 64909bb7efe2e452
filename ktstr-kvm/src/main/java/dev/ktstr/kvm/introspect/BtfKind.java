package dev.ktstr.kvm.introspect;

/**
 * The BTF type kinds of the kernel's {@code include/uapi/linux/btf.h} (Documentation/bpf/btf.rst,
 * section 2.2), with the numeric value each has in {@code btf_type.info} bits 24..28.
 */
public enum BtfKind {
    VOID(0),
    INT(1),
    PTR(2),
    ARRAY(3),
    STRUCT(4),
    UNION(5),
    ENUM(6),
    FWD(7),
    TYPEDEF(8),
    VOLATILE(9),
    CONST(10),
    RESTRICT(11),
    FUNC(12),
    FUNC_PROTO(13),
    VAR(14),
    DATASEC(15),
    FLOAT(16),
    DECL_TAG(17),
    TYPE_TAG(18),
    ENUM64(19),
    /** A kind newer than this reader, stepped over using the BTF's kind layout section. */
    UNKNOWN(-1);

    private final int value;

    BtfKind(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    private static final BtfKind[] BY_VALUE = java.util.Arrays.copyOf(values(), ENUM64.value + 1);

    /** The kind with this numeric value, or {@code null} for a kind this reader does not know. */
    static BtfKind of(int value) {
        return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
    }

    /** Kinds that only qualify or rename another type: skipped when resolving to the real type. */
    boolean isModifier() {
        return this == TYPEDEF || this == VOLATILE || this == CONST || this == RESTRICT || this == TYPE_TAG;
    }
}
