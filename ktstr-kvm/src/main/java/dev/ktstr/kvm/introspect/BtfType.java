package dev.ktstr.kvm.introspect;

import java.util.List;

/**
 * One decoded BTF type (Documentation/bpf/btf.rst, section 2.2 "Type encoding"). Every record keeps
 * its own type id; references to other types are type ids into the same {@link Btf}. Modifier kinds
 * (typedef, const, volatile, restrict, type tag) share {@link Ref}; ENUM and ENUM64 share {@link Enum}.
 */
public sealed interface BtfType {

    int id();

    BtfKind kind();

    /** The type's name, {@code ""} when anonymous. */
    String name();

    /** Type id 0: {@code void}. */
    record Void() implements BtfType {
        @Override
        public int id() {
            return 0;
        }

        @Override
        public BtfKind kind() {
            return BtfKind.VOID;
        }

        @Override
        public String name() {
            return "void";
        }
    }

    /**
     * BTF_KIND_INT.
     *
     * @param encoding  BTF_INT_SIGNED (1), BTF_INT_CHAR (2), BTF_INT_BOOL (4), or'ed
     * @param bitOffset BTF_INT_OFFSET: bits to skip inside the storage (0 in kernel BTF)
     * @param bits      BTF_INT_BITS: value bits (≤ 8 × size)
     */
    record Int(int id, String name, int size, int encoding, int bitOffset, int bits) implements BtfType {
        public static final int SIGNED = 1;

        @Override
        public BtfKind kind() {
            return BtfKind.INT;
        }

        public boolean signed() {
            return (encoding & SIGNED) != 0;
        }
    }

    /** BTF_KIND_PTR to {@code target}. */
    record Ptr(int id, int target) implements BtfType {
        @Override
        public BtfKind kind() {
            return BtfKind.PTR;
        }

        @Override
        public String name() {
            return "";
        }
    }

    /** BTF_KIND_ARRAY of {@code nelems} elements of {@code elemType}. */
    record Array(int id, int elemType, int indexType, long nelems) implements BtfType {
        @Override
        public BtfKind kind() {
            return BtfKind.ARRAY;
        }

        @Override
        public String name() {
            return "";
        }
    }

    /** BTF_KIND_STRUCT or BTF_KIND_UNION with its members in declaration order. */
    record Composite(int id, BtfKind kind, String name, long size, List<Member> members) implements BtfType {
        public Composite {
            members = List.copyOf(members);
        }
    }

    /**
     * A struct or union member.
     *
     * @param name         {@code ""} for an anonymous struct/union member
     * @param bitOffset    offset from the start of the containing type, in bits
     * @param bitfieldSize width in bits for a bitfield, 0 for an ordinary member
     */
    record Member(String name, int type, long bitOffset, int bitfieldSize) {}

    /** BTF_KIND_ENUM or BTF_KIND_ENUM64 with its enumerators (values sign- or zero-extended). */
    record Enum(int id, BtfKind kind, String name, int size, boolean signed, List<Enumerator> values)
            implements BtfType {
        public Enum {
            values = List.copyOf(values);
        }
    }

    /** One enumerator. */
    record Enumerator(String name, long value) {}

    /** BTF_KIND_FWD: a declared but undefined struct or union. */
    record Fwd(int id, String name, boolean union) implements BtfType {
        @Override
        public BtfKind kind() {
            return BtfKind.FWD;
        }
    }

    /** A typedef, const, volatile, restrict or type tag naming or qualifying {@code target}. */
    record Ref(int id, BtfKind kind, String name, int target) implements BtfType {}

    /** BTF_KIND_FUNC: a function named {@code name} with prototype {@code proto}. */
    record Func(int id, String name, int proto, int linkage) implements BtfType {
        @Override
        public BtfKind kind() {
            return BtfKind.FUNC;
        }
    }

    /** BTF_KIND_FUNC_PROTO. */
    record FuncProto(int id, int returnType, List<Param> params) implements BtfType {
        public FuncProto {
            params = List.copyOf(params);
        }

        @Override
        public BtfKind kind() {
            return BtfKind.FUNC_PROTO;
        }

        @Override
        public String name() {
            return "";
        }
    }

    /** A function prototype parameter. */
    record Param(String name, int type) {}

    /** BTF_KIND_VAR: a global or static variable of {@code type}. */
    record Var(int id, String name, int type, int linkage) implements BtfType {
        @Override
        public BtfKind kind() {
            return BtfKind.VAR;
        }
    }

    /** BTF_KIND_DATASEC: an ELF data section ({@code .bss}, {@code .data..percpu}) and its variables. */
    record Datasec(int id, String name, long size, List<VarSecinfo> vars) implements BtfType {
        public Datasec {
            vars = List.copyOf(vars);
        }

        @Override
        public BtfKind kind() {
            return BtfKind.DATASEC;
        }
    }

    /** A variable's place in a {@link Datasec}: {@code type} is the id of its {@link Var}. */
    record VarSecinfo(int type, long offset, long size) {}

    /** BTF_KIND_FLOAT. */
    record Float(int id, String name, int size) implements BtfType {
        @Override
        public BtfKind kind() {
            return BtfKind.FLOAT;
        }
    }

    /** BTF_KIND_DECL_TAG on {@code target} (component -1 = the type itself, else a member index). */
    record DeclTag(int id, String name, int target, int componentIdx) implements BtfType {
        @Override
        public BtfKind kind() {
            return BtfKind.DECL_TAG;
        }
    }

    /** A kind this reader does not know (stepped over via the kind layout section). */
    record Unknown(int id, int kindValue, String name) implements BtfType {
        @Override
        public BtfKind kind() {
            return BtfKind.UNKNOWN;
        }
    }
}
