/**
 * A small read-only ELF64 little-endian reader (System V gABI, "ELF-64 Object File Format" 1.5):
 * program headers (for loading a vmlinux through its PVH note), section headers and notes, the
 * symbol table (monitor symbols) and the dynamic section (DT_NEEDED closure of initramfs files).
 */
package dev.ktstr.kvm.elf;
