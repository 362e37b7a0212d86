/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* What the page writers share: the output, the problems --check reports,
 * and the long descriptions found in the sources. */
typedef struct
{
  GString *out;
  GPtrArray *problems;          /* gchar *, owned */
  GHashTable *sections;         /* "element-NAME" -> DocBook text, owned */
} Pages;

void pages_problem (Pages * pages, const gchar * format, ...)
    G_GNUC_PRINTF (2, 3);

/* plugin-pages-text.c */
gchar *pages_escape (const gchar * text);
void pages_read_sections (Pages * pages, const gchar * dir);

/* plugin-pages-props.c */
gboolean pages_type_is_ours (GType type);
void pages_write_properties (Pages * pages, GObjectClass * klass,
    const gchar * what, const gchar * id);

G_END_DECLS
