/* COM1 output (polled 16550 transmitter) and the probe's pass/fail bookkeeping. */
#include "probe.h"

static int n_pass;
static int n_fail;

void con_putc(char c)
{
	while (!(inb(COM1 + 5) & 0x20))
		;
	outb(COM1, (uint8_t)c);
}

static void put_str(const char *s)
{
	while (*s)
		con_putc(*s++);
}

static void put_num(uint64_t v, unsigned base)
{
	char buf[24];
	int i = 0;
	do {
		unsigned d = (unsigned)(v % base);
		buf[i++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v /= base;
	} while (v);
	while (i)
		con_putc(buf[--i]);
}

/* Supports %s %c %d %u %x (all integer conversions take uint64_t-compatible arguments via l/ll). */
static void vpr(const char *fmt, va_list ap)
{
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			con_putc(*p);
			continue;
		}
		p++;
		int longs = 0;
		while (*p == 'l') {
			longs++;
			p++;
		}
		switch (*p) {
		case 's':
			put_str(va_arg(ap, const char *));
			break;
		case 'c':
			con_putc((char)va_arg(ap, int));
			break;
		case 'd': {
			int64_t v = longs ? va_arg(ap, int64_t) : va_arg(ap, int);
			if (v < 0) {
				con_putc('-');
				v = -v;
			}
			put_num((uint64_t)v, 10);
			break;
		}
		case 'u':
			put_num(longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 10);
			break;
		case 'x':
			put_num(longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned), 16);
			break;
		default:
			con_putc('%');
			con_putc(*p);
		}
	}
}

void pr(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vpr(fmt, ap);
	va_end(ap);
}

void ok(const char *name)
{
	n_pass++;
	pr("probe: check %s ok\n", name);
}

void fail(const char *name, const char *fmt, ...)
{
	va_list ap;
	n_fail++;
	pr("probe: FAIL %s ", name);
	va_start(ap, fmt);
	vpr(fmt, ap);
	va_end(ap);
	con_putc('\n');
}

int failures(void) { return n_fail; }
int passes(void) { return n_pass; }
