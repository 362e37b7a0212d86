/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/alloc/alloc.h>

G_BEGIN_DECLS

/* The value of "@key:" in /proc/self/fdinfo/@fd (e.g. "exp_name" of a
 * dma-buf), or NULL when the kernel does not show it. */
gchar *test_fdinfo_value (int fd, const gchar * key);

/* How many file descriptors this process has open. */
guint test_count_open_fds (void);

/* The constraint set @str describes, from @origin; fails the test, with
 * the parser's message, when @str does not parse. */
GstAllocConstraints *test_constraints_parse (const gchar * str,
    const gchar * origin);

/* Writes a byte pattern through a write mapping of @mem and checks that a
 * read mapping gives it back. */
void test_memory_write_then_read (GstMemory * mem);

/* A solver with the memfd backend alone, so that results do not depend on
 * the machine's DMA heaps. */
GstAllocSolver *test_memfd_solver (void);

G_END_DECLS
