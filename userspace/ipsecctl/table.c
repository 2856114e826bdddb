// SPDX-License-Identifier: GPL-2.0-or-later
/* Aligned columns for human output; see table.h. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

void table_init(struct table *t, size_t ncols)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
}

long table_add_row(struct table *t)
{
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		char **cells = realloc(t->cells, cap * t->ncols * sizeof(*cells));

		if (!cells)
			return -1;
		t->cells = cells;
		t->cap = cap;
	}
	memset(t->cells + t->nrows * t->ncols, 0, t->ncols * sizeof(*t->cells));
	return (long)t->nrows++;
}

void table_set(struct table *t, long row, size_t col, const char *fmt, ...)
{
	char **cell;
	va_list ap;

	if (row < 0 || (size_t)row >= t->nrows || col >= t->ncols)
		return;
	cell = &t->cells[(size_t)row * t->ncols + col];
	free(*cell);
	va_start(ap, fmt);
	if (vasprintf(cell, fmt, ap) < 0)
		*cell = NULL;
	va_end(ap);
}

void table_print(const struct table *t, FILE *f)
{
	size_t *width = calloc(t->ncols ? t->ncols : 1, sizeof(*width));

	if (!width)
		return;
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++) {
			const char *s = t->cells[r * t->ncols + c];

			if (s && strlen(s) > width[c])
				width[c] = strlen(s);
		}
	for (size_t r = 0; r < t->nrows; r++) {
		size_t pending = 0;	/* blanks owed before the next cell */
		bool first = true;

		for (size_t c = 0; c < t->ncols; c++) {
			const char *s = t->cells[r * t->ncols + c];
			size_t len = s ? strlen(s) : 0;

			if (!width[c])
				continue;
			if (!first)
				pending += 2;
			first = false;
			if (len) {
				fprintf(f, "%*s%s", (int)pending, "", s);
				pending = 0;
			}
			pending += width[c] - len;
		}
		fputc('\n', f);
	}
	free(width);
}

void table_free(struct table *t)
{
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}
