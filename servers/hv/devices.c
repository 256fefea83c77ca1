/*
 * devices.c - the devices of a guest's machine, as port I/O:
 *
 *   COM1 (0x3f8..0x3ff)  a 16550 UART that transmits at once: every byte
 *                        written goes to the log server, a line at a time
 *                        (or HV_LINE_MAX bytes); nothing is ever received
 *   CMOS (0x70, 0x71)    the RTC's registers from the rtc server, in BCD,
 *                        24-hour, UTC, never updating (status A's UIP 0)
 *   PCI (0xcf8, 0xcfc)   configuration mechanism 1 with one device, 00:01.0
 *   virtio-blk           legacy virtio-pci (virtio 0.9.5) at BAR0 =
 *                        HV_VIRTIO_PORT: one queue of HV_VIRTQ_SIZE entries;
 *                        a notify serves every request the guest made
 *                        available, through the blk server, before it returns
 *
 * Guest memory is read only inside [0, mem_size): a descriptor outside it
 * fails that request (status IOERR), never the server.
 */
#include <string.h>

#include "hv.h"

#define ALL_ONES 0xffffffffu

static uint32_t size_mask(unsigned size)
{
	return size >= 4 ? ALL_ONES : (1u << (8 * size)) - 1;
}

/* Guest memory [gpa, gpa + len), or NULL if it is not all inside. */
static uint8_t *gmem(struct hv_machine *m, uint64_t gpa, uint64_t len)
{
	if (gpa > m->mem_size || len > m->mem_size - gpa)
		return NULL;
	return m->mem + gpa;
}

static uint64_t get_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static void put_le(uint8_t *p, unsigned n, uint64_t v)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* --- COM1 --- */

#define LCR_DLAB 0x80u
#define LSR_THRE 0x20u
#define LSR_TEMT 0x40u

void hv_serial_flush(struct hv_machine *m)
{
	if (m->com1.len)
		m->pf->log(m->pf->ctx, m->task, m->com1.line, m->com1.len);
	m->com1.len = 0;
}

static void serial_byte(struct hv_machine *m, uint8_t c)
{
	if (c == '\n') {
		hv_serial_flush(m);
		return;
	}
	if (c == '\r')
		return;
	m->com1.line[m->com1.len++] = (char)c;
	if (m->com1.len == HV_LINE_MAX)
		hv_serial_flush(m);
}

static uint32_t serial_read(struct hv_machine *m, unsigned reg)
{
	bool dlab = m->com1.lcr & LCR_DLAB;

	switch (reg) {
	case 0:
		return dlab ? m->com1.dll : 0; /* nothing received */
	case 1:
		return dlab ? m->com1.dlm : m->com1.ier;
	case 2:
		return 0x01; /* IIR: no interrupt pending */
	case 3:
		return m->com1.lcr;
	case 4:
		return m->com1.mcr;
	case 5:
		return LSR_THRE | LSR_TEMT;
	case 6:
		return 0xb0; /* MSR: DCD, DSR, CTS */
	default:
		return m->com1.scr;
	}
}

static void serial_write(struct hv_machine *m, unsigned reg, uint8_t v)
{
	bool dlab = m->com1.lcr & LCR_DLAB;

	switch (reg) {
	case 0:
		if (dlab)
			m->com1.dll = v;
		else
			serial_byte(m, v);
		break;
	case 1:
		if (dlab)
			m->com1.dlm = v;
		else
			m->com1.ier = v & 0x0f;
		break;
	case 3:
		m->com1.lcr = v;
		break;
	case 4:
		m->com1.mcr = v & 0x1f;
		break;
	case 7:
		m->com1.scr = v;
		break;
	default:
		break; /* FCR, LSR, MSR: nothing to change */
	}
}

/* --- CMOS RTC --- */

static uint8_t bcd(unsigned v)
{
	return (uint8_t)((v / 10 % 10) << 4 | v % 10);
}

static uint32_t cmos_read(struct hv_machine *m)
{
	struct rtc_date d;
	unsigned reg = m->cmos_index & 0x7f;

	if (reg == 0x0a)
		return 0x26; /* status A: 32.768 kHz base, 1.024 kHz rate, UIP 0 */
	if (reg == 0x0b)
		return 0x02; /* status B: 24-hour, BCD, no interrupts */
	if (reg == 0x0d)
		return 0x80; /* status D: the clock's battery is good */
	if (m->pf->rtc(m->pf->ctx, &d) != XOUS_OK)
		return 0xff;
	switch (reg) {
	case 0x00:
		return bcd(d.second);
	case 0x02:
		return bcd(d.minute);
	case 0x04:
		return bcd(d.hour);
	case 0x06:
		return bcd(d.day_of_week + 1u); /* CMOS: 1 = Sunday */
	case 0x07:
		return bcd(d.day);
	case 0x08:
		return bcd(d.month);
	case 0x09:
		return bcd(d.year % 100);
	case 0x32:
		return bcd(d.year / 100 % 100);
	default:
		return 0; /* alarms, status C, the rest of CMOS RAM */
	}
}

/* --- virtio-blk (legacy) --- */

#define VIRTIO_BLK_T_IN     0u
#define VIRTIO_BLK_T_OUT    1u
#define VIRTIO_BLK_T_FLUSH  4u
#define VIRTIO_BLK_T_GET_ID 8u
#define VIRTIO_BLK_S_OK     0u
#define VIRTIO_BLK_S_IOERR  1u
#define VIRTIO_BLK_S_UNSUPP 2u
#define VIRTQ_DESC_F_NEXT   1u
#define VIRTQ_DESC_F_WRITE  2u
#define VIRTIO_BLK_F_FLUSH  (1u << 9)
#define VIRTQ_AVAIL_AT      (16u * HV_VIRTQ_SIZE)
#define VIRTQ_USED_AT       ((VIRTQ_AVAIL_AT + 6u + 2u * HV_VIRTQ_SIZE + 4095u) & ~4095u)
#define VIRTQ_BYTES         (VIRTQ_USED_AT + 6u + 8u * HV_VIRTQ_SIZE)

struct vdesc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

static void vdesc_get(const uint8_t *q, uint16_t i, struct vdesc *d)
{
	const uint8_t *p = q + 16u * i;

	d->addr = get_le(p, 8);
	d->len = (uint32_t)get_le(p + 8, 4);
	d->flags = (uint16_t)get_le(p + 12, 2);
	d->next = (uint16_t)get_le(p + 14, 2);
}

/* One request's chain: the header, the data descriptors, the status byte. */
struct vreq {
	struct vdesc d[HV_VIRTQ_SIZE];
	unsigned n;
	uint32_t written; /* bytes the device wrote into the chain */
};

/* The chain from head, at most HV_VIRTQ_SIZE descriptors (a loop is bad). */
static bool vreq_chain(const uint8_t *q, uint16_t head, struct vreq *r)
{
	uint16_t i = head;

	for (r->n = 0; r->n < HV_VIRTQ_SIZE; r->n++) {
		if (i >= HV_VIRTQ_SIZE)
			return false;
		vdesc_get(q, i, &r->d[r->n]);
		if (!(r->d[r->n].flags & VIRTQ_DESC_F_NEXT)) {
			r->n++;
			return r->n >= 2;
		}
		i = r->d[r->n].next;
	}
	return false;
}

static xous_err_t vreq_data(struct hv_machine *m, struct vreq *r, uint32_t type, uint64_t sector)
{
	const struct hv_platform *pf = m->pf;
	bool in = type == VIRTIO_BLK_T_IN;

	for (unsigned k = 1; k + 1 < r->n; k++) {
		struct vdesc *d = &r->d[k];
		uint8_t *p = gmem(m, d->addr, d->len);
		xous_err_t err;

		if (!p || d->len % BLK_SECTOR_SIZE || d->len == 0 ||
		    !(d->flags & VIRTQ_DESC_F_WRITE) != !in)
			return XOUS_ERR_INVALID_ARGUMENT;
		err = in ? pf->blk_read(pf->ctx, sector, p, d->len)
		         : pf->blk_write(pf->ctx, sector, p, d->len);
		if (err)
			return err;
		sector += d->len / BLK_SECTOR_SIZE;
		if (in)
			r->written += d->len;
	}
	return XOUS_OK;
}

static uint8_t vreq_serve(struct hv_machine *m, struct vreq *r)
{
	uint8_t *hdr = gmem(m, r->d[0].addr, 16);
	uint32_t type;

	if (!hdr || r->d[0].len < 16 || r->d[0].flags & VIRTQ_DESC_F_WRITE)
		return VIRTIO_BLK_S_IOERR;
	type = (uint32_t)get_le(hdr, 4);
	if (type == VIRTIO_BLK_T_IN || type == VIRTIO_BLK_T_OUT)
		return vreq_data(m, r, type, get_le(hdr + 8, 8)) ? VIRTIO_BLK_S_IOERR
		                                                 : VIRTIO_BLK_S_OK;
	if (type == VIRTIO_BLK_T_FLUSH)
		return VIRTIO_BLK_S_OK; /* the blk server writes through */
	if (type == VIRTIO_BLK_T_GET_ID && r->n == 3) {
		static const char id[20] = "xous-hv-virtio-blk";
		uint8_t *p = gmem(m, r->d[1].addr, r->d[1].len);

		if (!p || !(r->d[1].flags & VIRTQ_DESC_F_WRITE))
			return VIRTIO_BLK_S_IOERR;
		memcpy(p, id, r->d[1].len < sizeof(id) ? r->d[1].len : sizeof(id));
		r->written += r->d[1].len < sizeof(id) ? r->d[1].len : sizeof(id);
		return VIRTIO_BLK_S_OK;
	}
	return VIRTIO_BLK_S_UNSUPP;
}

/* Serve every request made available since the last notify. */
static void virtq_notify(struct hv_machine *m)
{
	static struct vreq r; /* one at a time: the server has one thread */
	uint8_t *q = gmem(m, (uint64_t)m->vblk.pfn * 4096u, VIRTQ_BYTES);
	uint16_t avail_idx, used_idx;

	if (!q || m->vblk.pfn == 0)
		return;
	avail_idx = (uint16_t)get_le(q + VIRTQ_AVAIL_AT + 2, 2);
	used_idx = (uint16_t)get_le(q + VIRTQ_USED_AT + 2, 2);
	for (unsigned n = 0; m->vblk.last_avail != avail_idx && n < HV_VIRTQ_SIZE; n++) {
		uint16_t head = (uint16_t)get_le(
		        q + VIRTQ_AVAIL_AT + 4 + 2u * (m->vblk.last_avail % HV_VIRTQ_SIZE), 2);
		uint8_t *status, *used;

		m->vblk.last_avail++;
		memset(&r, 0, sizeof(r));
		if (!vreq_chain(q, head, &r))
			continue; /* a broken chain: no status to write, nothing used */
		status = gmem(m, r.d[r.n - 1].addr, 1);
		if (!status || !(r.d[r.n - 1].flags & VIRTQ_DESC_F_WRITE) || r.d[r.n - 1].len < 1)
			continue;
		*status = vreq_serve(m, &r);
		used = q + VIRTQ_USED_AT + 4 + 8u * (used_idx % HV_VIRTQ_SIZE);
		put_le(used, 4, head);
		put_le(used + 4, 4, r.written + 1);
		put_le(q + VIRTQ_USED_AT + 2, 2, ++used_idx);
		m->vblk.isr |= 1;
		m->irq_pending |= 1u << HV_VIRTIO_IRQ;
	}
}

static uint32_t virtio_read(struct hv_machine *m, unsigned reg, unsigned size)
{
	uint64_t cap = 0;
	uint32_t v;

	switch (reg) {
	case 0x00:
		return VIRTIO_BLK_F_FLUSH;
	case 0x04:
		return m->vblk.guest_features;
	case 0x08:
		return m->vblk.queue_sel == 0 ? m->vblk.pfn : 0;
	case 0x0c:
		return m->vblk.queue_sel == 0 ? HV_VIRTQ_SIZE : 0;
	case 0x0e:
		return m->vblk.queue_sel;
	case 0x12:
		return m->vblk.status;
	case 0x13:
		v = m->vblk.isr;
		m->vblk.isr = 0;
		m->irq_pending &= ~(1u << HV_VIRTIO_IRQ);
		return v;
	default:
		break;
	}
	if (reg < 0x14 || reg + size > 0x1c)
		return ALL_ONES; /* config: capacity (u64) only */
	if (m->pf->blk_capacity(m->pf->ctx, &cap) != XOUS_OK)
		cap = 0;
	return (uint32_t)(cap >> (8 * (reg - 0x14)));
}

static void virtio_write(struct hv_machine *m, unsigned reg, uint32_t v)
{
	switch (reg) {
	case 0x04:
		m->vblk.guest_features = v & VIRTIO_BLK_F_FLUSH;
		break;
	case 0x08:
		if (m->vblk.queue_sel == 0) {
			m->vblk.pfn = v;
			m->vblk.last_avail = 0;
		}
		break;
	case 0x0e:
		m->vblk.queue_sel = (uint16_t)v;
		break;
	case 0x10:
		if (v == 0)
			virtq_notify(m);
		break;
	case 0x12:
		m->vblk.status = (uint8_t)v;
		if (v == 0) /* reset */
			memset(&m->vblk, 0, sizeof(m->vblk));
		break;
	default:
		break;
	}
}

/* --- PCI configuration space: 00:01.0 is the virtio-blk device --- */

static uint32_t pci_read(struct hv_machine *m)
{
	uint32_t a = m->pci_address, reg = a & 0xfc;

	if (!(a & 0x80000000u) || (a >> 8 & 0xffff) != HV_VIRTIO_SLOT << 3)
		return ALL_ONES; /* no device at that bus/device/function */
	switch (reg) {
	case 0x00:
		return 0x1001u << 16 | 0x1af4u; /* device, vendor: virtio-blk (legacy) */
	case 0x04:
		return 0x1u; /* command: I/O space on */
	case 0x08:
		return 0x01000000u; /* class: mass storage, revision 0 */
	case 0x10:
		return m->bar_sizing ? ~(HV_VIRTIO_SIZE - 1u) | 1u : HV_VIRTIO_PORT | 1u;
	case 0x2c:
		return 0x0002u << 16 | 0x1af4u; /* subsystem: block device */
	case 0x3c:
		return 0x01u << 8 | HV_VIRTIO_IRQ; /* INTA#, the IRQ line */
	default:
		return 0;
	}
}

static bool in_range(uint16_t port, unsigned size, uint16_t base, unsigned len)
{
	return port >= base && port + size <= base + len;
}

uint32_t hv_io_read(struct hv_machine *m, uint16_t port, unsigned size)
{
	uint32_t v = ALL_ONES;

	if (size != 1 && size != 2 && size != 4)
		return ALL_ONES;
	if (in_range(port, size, HV_COM1, 8))
		v = serial_read(m, port - HV_COM1);
	else if (port == HV_CMOS_DATA && size == 1)
		v = cmos_read(m);
	else if (port == HV_CMOS_INDEX && size == 1)
		v = m->cmos_index;
	else if (port == HV_PCI_ADDRESS && size == 4)
		v = m->pci_address;
	else if (in_range(port, size, HV_PCI_DATA, 4))
		v = pci_read(m) >> (8 * (port - HV_PCI_DATA));
	else if (in_range(port, size, HV_VIRTIO_PORT, HV_VIRTIO_SIZE))
		v = virtio_read(m, port - HV_VIRTIO_PORT, size);
	return v & size_mask(size);
}

void hv_io_write(struct hv_machine *m, uint16_t port, unsigned size, uint32_t value)
{
	if (size != 1 && size != 2 && size != 4)
		return;
	value &= size_mask(size);
	if (in_range(port, size, HV_COM1, 8))
		serial_write(m, port - HV_COM1, (uint8_t)value);
	else if (port == HV_CMOS_INDEX && size == 1)
		m->cmos_index = (uint8_t)value;
	else if (port == HV_PCI_ADDRESS && size == 4)
		m->pci_address = value;
	else if (port == HV_PCI_DATA && size == 4 && (m->pci_address & 0xfc) == 0x10)
		m->bar_sizing = value == ALL_ONES;
	else if (in_range(port, size, HV_VIRTIO_PORT, HV_VIRTIO_SIZE))
		virtio_write(m, port - HV_VIRTIO_PORT, value);
}
