/*
 * Interrupt entry stubs (Intel SDM Vol. 3A 6.14 "Exception and Interrupt Handling in 64-bit Mode"):
 * exceptions 0-31 report the vector, error code and RIP through probe_trap (which ends the machine),
 * and the COM2 and SCI vectors save the caller-saved registers around their C handlers.
 */
	.code64
	.text

.macro EXC vec, has_err
exc_\vec:
	.if \has_err == 0
	pushq	$0
	.endif
	pushq	$\vec
	jmp	exc_common
.endm

EXC 0,0
EXC 1,0
EXC 2,0
EXC 3,0
EXC 4,0
EXC 5,0
EXC 6,0
EXC 7,0
EXC 8,1
EXC 9,0
EXC 10,1
EXC 11,1
EXC 12,1
EXC 13,1
EXC 14,1
EXC 15,0
EXC 16,0
EXC 17,1
EXC 18,0
EXC 19,0
EXC 20,0
EXC 21,1
EXC 22,0
EXC 23,0
EXC 24,0
EXC 25,0
EXC 26,0
EXC 27,0
EXC 28,0
EXC 29,1
EXC 30,1
EXC 31,0

exc_common:
	movq	(%rsp), %rdi
	movq	8(%rsp), %rsi
	movq	16(%rsp), %rdx
	andq	$-16, %rsp
	call	probe_trap
1:	hlt
	jmp	1b

/* An interrupt stub that saves the caller-saved registers around a C handler. */
.macro IRQ name, handler
	.globl	\name
\name:
	pushq	%rax
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	call	\handler
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rax
	iretq
.endm

IRQ com2_isr, com2_irq
IRQ sci_isr, sci_irq

	.section .rodata
	.balign 8
	.globl	exc_table
exc_table:
	.irp v,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad	exc_\v
	.endr
