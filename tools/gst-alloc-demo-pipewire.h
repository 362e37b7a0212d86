/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* gst-alloc-demo --pipewire: @source feeds allocpwsink, and one consumer
 * process per @consumers entry ("NAME:CONSTRAINTS", NULL for the default
 * three) reads @frames frames through allocpwsrc. @self is this program's
 * path: the consumers are this program again, with --pw-consume. */
gint gst_alloc_demo_pipewire (const gchar * self, const gchar * source,
    gchar ** consumers, gint frames);

/* The consumer side: prints "frame SEQ INODE" per frame, then a summary. */
gint gst_alloc_demo_pipewire_consume (const gchar * spec, const gchar * target,
    gint frames);

G_END_DECLS
