/* printf.c - the kernel's console output: %d %u %x %s %c %p, and panic. */
#include "defs.h"

static void put_num(uint32_t v, int base, bool neg)
{
	char buf[12];
	int i = 0;

	do {
		buf[i++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		buf[i++] = '-';
	while (i)
		uart_putc(buf[--i]);
}

void kvprintf(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			uart_putc(*fmt);
			continue;
		}
		switch (*++fmt) {
		case 'd': {
			int v = va_arg(ap, int);
			put_num(v < 0 ? -(uint32_t)v : (uint32_t)v, 10, v < 0);
			break;
		}
		case 'u':
			put_num(va_arg(ap, uint32_t), 10, false);
			break;
		case 'p':
			uart_putc('0');
			uart_putc('x');
			/* fall through */
		case 'x':
			put_num(va_arg(ap, uint32_t), 16, false);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			for (s = s ? s : "(null)"; *s; s++)
				uart_putc(*s);
			break;
		}
		case 'c':
			uart_putc(va_arg(ap, int));
			break;
		case '\0':
			return;
		default:
			uart_putc(*fmt);
		}
	}
}

void kprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	kprintf("kernel panic: ");
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
	board_exit(EXIT_PANIC);
}
