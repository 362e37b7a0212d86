/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The value of "@key:" in /proc/self/fdinfo/@fd (e.g. "exp_name" of a
 * dma-buf), or NULL when the kernel does not show it. */
gchar *test_fdinfo_value (int fd, const gchar * key);

/* How many file descriptors this process has open. */
guint test_count_open_fds (void);

G_END_DECLS
