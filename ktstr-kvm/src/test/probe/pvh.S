/*
 * PVH entry of the probe (Xen docs/misc/pvh.pandoc "Boot ABI"): 32-bit protected mode, paging off,
 * EBX = hvm_start_info. Records the entry state, builds long mode on static identity page tables
 * (0-4 GiB in 2 MiB pages), and calls probe_main. The XEN_ELFNOTE_PHYS32_ENTRY note (type 18) tells
 * the loader where to enter.
 */
#define BOOT_PVH 2
#define MSR_EFER 0xC0000080

	.section .head32, "ax"
	.code32
	.globl	pvh_entry
pvh_entry:
	cli
	outb	%al, $0x80		/* first instruction: the host timestamps this exit */
	movl	%ebx, entry_ebx
	movl	%cr0, %eax
	movl	%eax, entry_cr0
	movl	%cr4, %eax
	movl	%eax, entry_cr4
	movl	$MSR_EFER, %ecx
	rdmsr
	movl	%eax, entry_efer_lo
	movl	%cr4, %eax
	orl	$0x20, %eax		/* PAE */
	movl	%eax, %cr4
	movl	$pvh_pml4, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$0x100, %eax		/* LME */
	wrmsr
	movl	%cr0, %eax
	orl	$0x80000001, %eax	/* PG | PE */
	movl	%eax, %cr0
	lgdt	pvh_gdt_desc
	ljmp	$0x10, $pvh_entry64

	.code64
pvh_entry64:
	movw	$0x18, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	%ax, %fs
	movw	%ax, %gs
	movq	$stack_top, %rsp
	movl	$BOOT_PVH, %edi
	movl	entry_ebx, %esi
	call	probe_main
1:	hlt
	jmp	1b

	.section .data
	.balign	8
pvh_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* 0x08: 32-bit code */
	.quad	0x00af9a000000ffff	/* 0x10: 64-bit code */
	.quad	0x00cf92000000ffff	/* 0x18: data */
pvh_gdt_desc:
	.word	pvh_gdt_desc - pvh_gdt - 1
	.long	pvh_gdt

	.globl	entry_cr0, entry_cr4, entry_efer_lo, entry_ebx
entry_cr0:	.long 0
entry_cr4:	.long 0
entry_efer_lo:	.long 0
entry_ebx:	.long 0

	.section .data.pagetables, "aw"
	.balign	4096
pvh_pml4:
	.quad	pvh_pdpt + 3
	.fill	511, 8, 0
pvh_pdpt:
	.quad	pvh_pd + 3
	.quad	pvh_pd + 0x1000 + 3
	.quad	pvh_pd + 0x2000 + 3
	.quad	pvh_pd + 0x3000 + 3
	.fill	508, 8, 0
pvh_pd:
	.set	pd_index, 0
	.rept	2048
	.quad	(pd_index << 21) | 0x83
	.set	pd_index, pd_index + 1
	.endr

	.section .note.Xen, "a", @note
	.balign	4
	.long	4			/* namesz */
	.long	4			/* descsz */
	.long	18			/* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz	"Xen"
	.long	pvh_entry

	.section .stack, "aw", @nobits
	.balign	16
	.space	16384
stack_top:
