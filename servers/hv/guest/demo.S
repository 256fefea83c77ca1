/*
 * demo.S - the hv server's demo guest: a flat x64 image (CONTRACT section
 * 7: loaded at 0x100000, entered in 64-bit mode, rbx = its memory's size).
 * It prints a line on COM1, the CMOS RTC's date and time, the first bytes
 * of sector 0 of the virtio-blk device (found at PCI 00:01.0, legacy
 * virtio-pci, one request on queue 0, polled), and halts with interrupts
 * off, which ends it. Its virtqueue and buffers live at 0x200000..0x204000,
 * so it needs 0x204000 bytes of memory or more for the disk.
 */
	.code64
	.text
	.globl _start
_start:
	lea hello(%rip), %rsi
	call puts

	/* time: 20YY-MM-DD HH:MM:SS (CMOS registers, BCD) */
	lea time(%rip), %rsi
	call puts
	mov $0x32, %al
	call cmos_bcd
	mov $0x09, %al
	call cmos_bcd
	mov $'-', %cl
	call putc
	mov $0x08, %al
	call cmos_bcd
	mov $'-', %cl
	call putc
	mov $0x07, %al
	call cmos_bcd
	mov $' ', %cl
	call putc
	mov $0x04, %al
	call cmos_bcd
	mov $':', %cl
	call putc
	mov $0x02, %al
	call cmos_bcd
	mov $':', %cl
	call putc
	mov $0x00, %al
	call cmos_bcd
	mov $'\n', %cl
	call putc

	/* the disk: memory for the queue, then the device at 00:01.0 */
	lea small(%rip), %rsi
	cmp $0x204000, %rbx
	jb fail
	lea nodisk(%rip), %rsi
	mov $0x80000800, %eax	/* vendor and device */
	call pci_read
	cmp $0x10011af4, %eax
	jne fail
	mov $0x80000810, %eax	/* BAR0: the I/O port base */
	call pci_read
	and $0xfffc, %eax
	mov %eax, %ebp

	lea 0x12(%rbp), %edx	/* status: reset, then ACKNOWLEDGE | DRIVER */
	xor %eax, %eax
	out %al, %dx
	mov $3, %al
	out %al, %dx
	lea 0x0e(%rbp), %edx	/* queue 0 */
	xor %eax, %eax
	out %ax, %dx
	lea 0x0c(%rbp), %edx	/* its size must be the 128 this layout has */
	in %dx, %ax
	lea badqueue(%rip), %rsi
	cmp $128, %ax
	jne fail
	lea 0x08(%rbp), %edx	/* the queue at page 0x200 (0x200000) */
	mov $0x200, %eax
	out %eax, %dx
	lea 0x12(%rbp), %edx	/* DRIVER_OK */
	mov $7, %al
	out %al, %dx

	/* read sector 0: header, 512 bytes, status (descriptors 0, 1, 2) */
	movq $0x203000, 0x200000
	movl $16, 0x200008
	movw $1, 0x20000c	/* NEXT */
	movw $1, 0x20000e
	movq $0x203200, 0x200010
	movl $512, 0x200018
	movw $3, 0x20001c	/* NEXT | WRITE */
	movw $2, 0x20001e
	movq $0x203400, 0x200020
	movl $1, 0x200028
	movw $2, 0x20002c	/* WRITE */
	movw $0, 0x20002e
	movl $0, 0x203000	/* VIRTIO_BLK_T_IN */
	movl $0, 0x203004
	movq $0, 0x203008	/* sector 0 */
	movb $0xff, 0x203400
	movw $0, 0x200804	/* avail ring[0]: descriptor 0 */
	movw $1, 0x200802	/* avail idx */
	lea 0x10(%rbp), %edx	/* notify queue 0 */
	xor %eax, %eax
	out %ax, %dx
1:	movzwl 0x201002, %eax	/* used idx */
	pause
	cmp $1, %eax
	jne 1b
	lea diskerr(%rip), %rsi
	cmpb $0, 0x203400
	jne fail

	lea sector(%rip), %rsi
	call puts
	mov $0x203200, %rsi	/* up to 32 bytes, up to a NUL, '.' for the unprintable */
	mov $32, %r8
2:	movb (%rsi), %cl
	test %cl, %cl
	jz 4f
	cmp $0x20, %cl
	jb 3f
	cmp $0x7e, %cl
	jbe 5f
3:	mov $'.', %cl
5:	call putc
	inc %rsi
	dec %r8
	jnz 2b
4:	mov $'\n', %cl
	call putc
	lea bye(%rip), %rsi
fail:
	call puts
	cli
6:	hlt
	jmp 6b

/* putc: the byte %cl on COM1, once its transmitter is empty. */
putc:
	push %rax
	push %rdx
	mov $0x3fd, %dx
1:	in %dx, %al
	test $0x20, %al
	jz 1b
	mov $0x3f8, %dx
	mov %cl, %al
	out %al, %dx
	pop %rdx
	pop %rax
	ret

/* puts: the NUL-terminated string at %rsi. */
puts:
	push %rcx
	push %rsi
1:	movb (%rsi), %cl
	test %cl, %cl
	jz 2f
	call putc
	inc %rsi
	jmp 1b
2:	pop %rsi
	pop %rcx
	ret

/* cmos_bcd: CMOS register %al, printed as its two BCD digits. */
cmos_bcd:
	mov $0x70, %dx
	out %al, %dx
	mov $0x71, %dx
	in %dx, %al
	mov %al, %cl
	shr $4, %cl
	add $'0', %cl
	call putc
	mov %al, %cl
	and $0x0f, %cl
	add $'0', %cl
	call putc
	ret

/* pci_read: the configuration word at address %eax, in %eax. */
pci_read:
	mov $0xcf8, %dx
	out %eax, %dx
	mov $0xcfc, %dx
	in %dx, %eax
	ret

hello:	.asciz "hello from the x64 guest\n"
time:	.asciz "time: "
sector:	.asciz "sector 0: "
bye:	.asciz "guest halts\n"
small:	.asciz "too little memory for the disk's queue\n"
nodisk:	.asciz "no virtio-blk device at 00:01.0\n"
badqueue: .asciz "the virtio-blk queue is not 128 entries\n"
diskerr: .asciz "the disk failed the read\n"
