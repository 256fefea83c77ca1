/*
 * guest.c - a guest's memory as it starts (CONTRACT section 7): the flat
 * image at guest-physical HV_GUEST_ENTRY, the first 1 GiB identity-mapped
 * with 2 MiB pages (one PML4 entry, one PDPT entry, a full page directory),
 * a GDT of a 64-bit code and a data segment, and the entry registers that
 * use them: long mode, paging on, interrupts off, rsp just below the image,
 * rbx the memory's size.
 */
#include <string.h>

#include "hv.h"

#define PTE_P    0x1u
#define PTE_W    0x2u
#define PTE_PS   0x80u
#define MIB2     0x200000u
#define CR0_PE   0x1u
#define CR0_MP   0x2u
#define CR0_ET   0x10u
#define CR0_NE   0x20u
#define CR0_WP   0x10000u
#define CR0_PG   0x80000000u
#define CR4_PAE  0x20u
#define EFER_LME 0x100u
#define EFER_LMA 0x400u

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

xous_err_t hv_guest_load(uint8_t *mem, size_t size, const void *image, size_t len)
{
	/* GDT: null; code: present, ring 0, code exec/read, L (64-bit), G;
	 * data: present, ring 0, read/write, D/B, G. */
	static const uint64_t gdt[3] = {0, 0x00af9b000000ffffull, 0x00cf93000000ffffull};

	if (mem == NULL || image == NULL || size % 4096 || size < HV_GUEST_MEM_MIN ||
	    size > HV_GUEST_MEM_MAX || len == 0 || len > size - HV_GUEST_ENTRY)
		return XOUS_ERR_INVALID_ARGUMENT;
	put64(mem + HV_GUEST_PML4, HV_GUEST_PDPT | PTE_P | PTE_W);
	put64(mem + HV_GUEST_PDPT, HV_GUEST_PD | PTE_P | PTE_W);
	for (uint64_t i = 0; i < HV_GUEST_MAPPED / MIB2; i++)
		put64(mem + HV_GUEST_PD + 8 * i, i * MIB2 | PTE_P | PTE_W | PTE_PS);
	for (int i = 0; i < 3; i++)
		put64(mem + HV_GUEST_GDT + 8 * i, gdt[i]);
	memcpy(mem + HV_GUEST_ENTRY, image, len);
	return XOUS_OK;
}

void hv_x64_entry(size_t mem_size, struct hv_x64_entry *out)
{
	const struct hv_x64_segment code = {.limit = 0xffffffff,
	                                    .selector = HV_GDT_CODE,
	                                    .type = 0xb,
	                                    .present = 1,
	                                    .s = 1,
	                                    .l = 1,
	                                    .g = 1};
	const struct hv_x64_segment data = {.limit = 0xffffffff,
	                                    .selector = HV_GDT_DATA,
	                                    .type = 0x3,
	                                    .present = 1,
	                                    .s = 1,
	                                    .db = 1,
	                                    .g = 1};

	memset(out, 0, sizeof(*out));
	out->rip = HV_GUEST_ENTRY;
	out->rsp = HV_GUEST_STACK;
	out->rbx = mem_size;
	out->rflags = 0x2; /* bit 1 is always set; IF clear */
	out->cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
	out->cr3 = HV_GUEST_PML4;
	out->cr4 = CR4_PAE;
	out->efer = EFER_LME | EFER_LMA;
	out->gdt_base = HV_GUEST_GDT;
	out->gdt_limit = 3 * 8 - 1;
	out->cs = code;
	out->ds = data;
}
