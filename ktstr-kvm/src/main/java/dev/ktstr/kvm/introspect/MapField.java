package dev.ktstr.kvm.introspect;

/**
 * A named place inside a BPF map value, typed by the program's BTF: a global variable of a
 * {@code .bss}/{@code .data} map ({@code stall}) or a member path of a struct value.
 *
 * @param name   the name or dotted path looked up
 * @param offset byte offset inside one value
 * @param size   bytes
 * @param signed whether it is a signed integer (meaningful for sizes 1, 2, 4, 8)
 * @param type   BTF type id in the program's BTF
 */
public record MapField(String name, long offset, int size, boolean signed, int type) {}
