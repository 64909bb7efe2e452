/*
 * bzImage-format entry points of the probe, at the offsets the Linux boot protocol defines relative
 * to the protected-mode load address (Documentation/arch/x86/boot.rst): the 32-bit entry at 0 (unused
 * by 64-bit loaders) and the 64-bit entry startup_64 at 0x200, entered in long mode with RSI pointing
 * at the zero page.
 */
#define BOOT_BZIMAGE 1

	.section .head32, "ax"
	.code32
entry32:
	cli
	hlt
	jmp	entry32

	.section .head64, "ax"
	.code64
	.globl	entry64
entry64:
	cli
	outb	%al, $0x80		/* first instruction: the host timestamps this exit */
	movq	$stack_top, %rsp
	movl	$BOOT_BZIMAGE, %edi
	call	probe_main
1:	hlt
	jmp	1b

	.section .data
	.globl	entry_cr0, entry_cr4, entry_efer_lo, entry_ebx
entry_cr0:	.long 0
entry_cr4:	.long 0
entry_efer_lo:	.long 0
entry_ebx:	.long 0

	.section .stack, "aw", @nobits
	.balign	16
	.space	16384
stack_top:
