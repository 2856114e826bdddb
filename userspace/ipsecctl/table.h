/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Aligned columns for human output: rows of cells, each column as wide as
 * its widest cell; columns empty in every row are left out.
 */
#ifndef IPSECCTL_TABLE_H
#define IPSECCTL_TABLE_H

#include <stddef.h>
#include <stdio.h>

struct table {
	size_t ncols;
	size_t nrows, cap;
	char **cells;		/* nrows * ncols, NULL for empty */
};

void table_init(struct table *t, size_t ncols);
/* A new empty row; its index, or -1 when out of memory. */
long table_add_row(struct table *t);
void table_set(struct table *t, long row, size_t col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Print, two spaces between columns, no trailing blanks. */
void table_print(const struct table *t, FILE *f);
void table_free(struct table *t);

#endif /* IPSECCTL_TABLE_H */
