/* COM1, polled, and a small printf: the demo and panics print here. */
#include "kernel.h"

#define COM1 0x3f8

void ser_init(void)
{
	cpu_outb(COM1 + 1, 0x00); /* no interrupts */
	cpu_outb(COM1 + 3, 0x80); /* divisor latch */
	cpu_outb(COM1 + 0, 0x01); /* 115200 baud */
	cpu_outb(COM1 + 1, 0x00);
	cpu_outb(COM1 + 3, 0x03); /* 8N1 */
	cpu_outb(COM1 + 2, 0xc7); /* FIFO on */
	cpu_outb(COM1 + 4, 0x03);
}

void ser_putc(char c)
{
	if (c == '\n')
		ser_putc('\r');
	while (!(cpu_inb(COM1 + 5) & 0x20))
		;
	cpu_outb(COM1, (uint8_t)c);
}

/* An output sink: serial, or a bounded buffer. */
struct sink {
	char *buf;
	size_t cap, len;
};

static void sink_put(struct sink *s, char c)
{
	if (s->buf == NULL) {
		ser_putc(c);
		return;
	}
	if (s->len + 1 < s->cap)
		s->buf[s->len] = c;
	s->len++;
}

static void put_num(struct sink *s, uint64_t v, unsigned base, bool neg, int width, char pad,
                    bool left)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		tmp[n++] = '-';
	int len = n;
	for (int i = len; !left && i < width; i++)
		sink_put(s, pad);
	while (n)
		sink_put(s, tmp[--n]);
	for (int i = len; left && i < width; i++)
		sink_put(s, ' ');
}

static uint64_t arg_unsigned(va_list *ap, int longs)
{
	return longs ? va_arg(*ap, uint64_t) : va_arg(*ap, unsigned);
}

static int64_t arg_signed(va_list *ap, int longs)
{
	return longs ? va_arg(*ap, int64_t) : va_arg(*ap, int);
}

static void format(struct sink *s, const char *fmt, va_list ap0)
{
	va_list ap;
	va_copy(ap, ap0);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			sink_put(s, *fmt);
			continue;
		}
		bool left = false;
		char pad = ' ';
		int width = 0, longs = 0;
		fmt++;
		if (*fmt == '-')
			left = true, fmt++;
		if (*fmt == '0')
			pad = '0', fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z')
			longs = 1, fmt++;
		switch (*fmt) {
		case 'd': {
			int64_t v = arg_signed(&ap, longs);
			put_num(s, v < 0 ? (uint64_t)-v : (uint64_t)v, 10, v < 0, width, pad, left);
			break;
		}
		case 'u':
			put_num(s, arg_unsigned(&ap, longs), 10, false, width, pad, left);
			break;
		case 'x':
			put_num(s, arg_unsigned(&ap, longs), 16, false, width, pad, left);
			break;
		case 'p':
			put_num(s, (uint64_t)va_arg(ap, void *), 16, false, 16, '0', false);
			break;
		case 'c':
			sink_put(s, (char)va_arg(ap, int));
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);
			int n = (int)lib_strlen(str);
			for (int i = n; !left && i < width; i++)
				sink_put(s, ' ');
			while (*str)
				sink_put(s, *str++);
			for (int i = n; left && i < width; i++)
				sink_put(s, ' ');
			break;
		}
		case '%':
			sink_put(s, '%');
			break;
		default:
			sink_put(s, '?');
			break;
		}
	}
	va_end(ap);
}

void ser_vprintf(const char *fmt, va_list ap)
{
	struct sink s = { 0 };
	format(&s, fmt, ap);
}

void ser_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ser_vprintf(fmt, ap);
	va_end(ap);
}

int ser_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
	struct sink s = { buf, n, 0 };
	format(&s, fmt, ap);
	if (n)
		buf[s.len < n ? s.len : n - 1] = 0;
	return (int)s.len;
}

int ser_snprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	int len;
	va_start(ap, fmt);
	len = ser_vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return len;
}
