/*
 * Wraps the flat probe binary (linked at 1 MiB) in the bzImage format: one setup sector after the
 * boot sector, carrying the real-mode kernel header at 0x1F1 (Documentation/arch/x86/boot.rst,
 * protocol 2.15 fields up to kernel_info_offset at 0x268), then the protected-mode payload at
 * (setup_sects + 1) * 512 = 0x400. PAYLOAD is the flat binary's path, INIT_SIZE the bytes the
 * payload needs from its load address (text, data and stack).
 */
	.section .text
	.code16
bz_start:
	.org	0x1F1
setup_sects:		.byte	1
root_flags:		.word	0
syssize:		.long	(payload_end - payload_start + 15) / 16
ram_size:		.word	0
vid_mode:		.word	0xFFFF
root_dev:		.word	0
boot_flag:		.word	0xAA55
jump:			.byte	0xEB, header_end - bz_start - 0x202
header:			.ascii	"HdrS"
version:		.word	0x020F
realmode_swtch:		.long	0
start_sys_seg:		.word	0x1000
kernel_version:		.word	0
type_of_loader:		.byte	0
loadflags:		.byte	0x01
setup_move_size:	.word	0x8000
code32_start:		.long	0x100000
ramdisk_image:		.long	0
ramdisk_size:		.long	0
bootsect_kludge:	.long	0
heap_end_ptr:		.word	0
ext_loader_ver:		.byte	0
ext_loader_type:	.byte	0
cmd_line_ptr:		.long	0
initrd_addr_max:	.long	0x7FFFFFFF
kernel_alignment:	.long	0x200000
relocatable_kernel:	.byte	0
min_alignment:		.byte	12
xloadflags:		.word	0x0003	/* XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G */
cmdline_size:		.long	2047
hardware_subarch:	.long	0
hardware_subarch_data:	.quad	0
payload_offset:		.long	0
payload_length:		.long	0
setup_data:		.quad	0
pref_address:		.quad	0x100000
init_size:		.long	INIT_SIZE
handover_offset:	.long	0
kernel_info_offset:	.long	0
header_end:
	.org	0x400
payload_start:
	.incbin	PAYLOAD
payload_end:
