/*
 * Application-processor start-up code, copied to AP_TRAMPOLINE (0x10000) and entered in real mode at
 * CS = 0x1000, IP = 0 by the STARTUP IPI (vector 0x10). It switches to flat 32-bit protected mode,
 * reads its local APIC id, stores it in a slot of ap_ids claimed from ap_slot, then increments
 * ap_count (so the BSP never reads a slot before it is filled), and halts.
 */
#define AP_BASE 0x10000

	.section .rodata
	.code16
	.globl ap_trampoline, ap_trampoline_end
ap_trampoline:
	cli
	mov	%cs, %ax
	mov	%ax, %ds
	lgdtl	ap_gdt_desc - ap_trampoline
	mov	%cr0, %eax
	or	$1, %eax
	mov	%eax, %cr0
	ljmpl	$0x08, $(AP_BASE + ap_pm32 - ap_trampoline)

	.code32
ap_pm32:
	mov	$0x10, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	0xFEE00020, %eax
	shr	$24, %eax
	mov	$1, %ecx
	lock xadd %ecx, ap_slot		/* claim a slot, */
	mov	%eax, ap_ids(,%ecx,4)	/* fill it, */
	lock incl ap_count		/* and only then count in: the BSP reads ap_ids after ap_count */
1:	cli
	hlt
	jmp	1b

	.balign 8
ap_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff
	.quad	0x00cf92000000ffff
ap_gdt_desc:
	.word	ap_gdt_desc - ap_gdt - 1
	.long	AP_BASE + ap_gdt - ap_trampoline
ap_trampoline_end:

	.section .data
	.balign 4
	.globl ap_count, ap_slot, ap_ids
ap_count:
	.long	0
ap_slot:
	.long	0
ap_ids:
	.fill	256, 4, 0
	.code64
