/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The alloccopies summary, as a text table and as JSON (docs/tracer.md). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloccopies.h"

#include <string.h>

static gint
compare_keys (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const gchar * const *) a, *(const gchar * const *) b);
}

/* The keys of @table, sorted, so output does not depend on hashing. */
static GPtrArray *
sorted_keys (GHashTable * table)
{
  GPtrArray *keys = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, key);
  g_ptr_array_sort (keys, compare_keys);
  return keys;
}

/* "memfd:30 system:2" */
static void
append_counts (GString * out, GHashTable * table)
{
  GPtrArray *keys = sorted_keys (table);
  guint i;

  for (i = 0; i < keys->len; i++)
    g_string_append_printf (out, "%s%s:%u", i ? " " : "",
        (const gchar *) keys->pdata[i],
        GPOINTER_TO_UINT (g_hash_table_lookup (table, keys->pdata[i])));
  if (keys->len == 0)
    g_string_append_c (out, '-');
  g_ptr_array_free (keys, TRUE);
}

static guint64
per_frame (guint64 bytes, guint64 frames)
{
  return frames ? bytes / frames : 0;
}

/**
 * gst_alloc_copies_report_text:
 *
 * One line per source pad that pushed buffers, then the sink pads' totals.
 */
gchar *
gst_alloc_copies_report_text (GPtrArray * elements)
{
  GString *out = g_string_new ("alloccopies: per element and source pad\n");
  GstAllocCopiesElement *e;
  GstAllocCopiesPad *p;
  guint i, j;
  gchar *name;

  g_string_append_printf (out, "  %-34s %8s %6s %8s %8s %8s %8s %12s  %s\n",
      "element:pad", "buffers", "new", "recycled", "through", "produced",
      "copies", "B-copied/fr", "memory (kinds, allocators, heaps, pools)");
  for (i = 0; i < elements->len; i++) {
    e = elements->pdata[i];
    for (j = 0; j < e->pads->len; j++) {
      p = e->pads->pdata[j];
      if (!p->is_src)
        continue;
      name = g_strdup_printf ("%s:%s", e->path, p->name);
      g_string_append_printf (out, "  %-34s %8" G_GUINT64_FORMAT " %6"
          G_GUINT64_FORMAT " %8" G_GUINT64_FORMAT " %8" G_GUINT64_FORMAT
          " %8" G_GUINT64_FORMAT " %8" G_GUINT64_FORMAT " %12"
          G_GUINT64_FORMAT "  ", name, p->buffers, p->memories_new,
          p->recycled, p->passthrough, p->produced, p->copies,
          per_frame (p->bytes_copied, p->buffers));
      g_free (name);
      append_counts (out, p->backends);
      g_string_append (out, "; ");
      append_counts (out, p->allocators);
      g_string_append (out, "; ");
      append_counts (out, p->heaps);
      g_string_append (out, "; ");
      append_counts (out, p->pools);
      g_string_append_c (out, '\n');
    }
  }
  return g_string_free (out, FALSE);
}

static void
append_json_string (GString * out, const gchar * s)
{
  g_string_append_c (out, '"');
  for (; *s; s++) {
    if (*s == '"' || *s == '\\')
      g_string_append_printf (out, "\\%c", *s);
    else if ((guchar) * s < 0x20)
      g_string_append_printf (out, "\\u%04x", (guint) * s);
    else
      g_string_append_c (out, *s);
  }
  g_string_append_c (out, '"');
}

static void
append_json_counts (GString * out, const gchar * key, GHashTable * table)
{
  GPtrArray *keys = sorted_keys (table);
  guint i;

  g_string_append_printf (out, ", \"%s\": {", key);
  for (i = 0; i < keys->len; i++) {
    g_string_append (out, i ? ", " : "");
    append_json_string (out, keys->pdata[i]);
    g_string_append_printf (out, ": %u",
        GPOINTER_TO_UINT (g_hash_table_lookup (table, keys->pdata[i])));
  }
  g_string_append_c (out, '}');
  g_ptr_array_free (keys, TRUE);
}

static void
append_json_pad (GString * out, GstAllocCopiesPad * p)
{
  g_string_append (out, "        {\"name\": ");
  append_json_string (out, p->name);
  g_string_append_printf (out, ", \"direction\": \"%s\", \"buffers\": %"
      G_GUINT64_FORMAT, p->is_src ? "src" : "sink", p->buffers);
  if (p->is_src) {
    g_string_append_printf (out, ", \"memories_new\": %" G_GUINT64_FORMAT
        ", \"bytes_new\": %" G_GUINT64_FORMAT ", \"recycled\": %"
        G_GUINT64_FORMAT ", \"passthrough\": %" G_GUINT64_FORMAT
        ", \"produced\": %" G_GUINT64_FORMAT ", \"copies\": %"
        G_GUINT64_FORMAT ", \"bytes_copied\": %" G_GUINT64_FORMAT
        ", \"bytes_copied_per_frame\": %" G_GUINT64_FORMAT, p->memories_new,
        p->bytes_new, p->recycled, p->passthrough, p->produced, p->copies,
        p->bytes_copied, per_frame (p->bytes_copied, p->buffers));
    append_json_counts (out, "backends", p->backends);
    append_json_counts (out, "allocators", p->allocators);
    append_json_counts (out, "heaps", p->heaps);
    append_json_counts (out, "pools", p->pools);
  }
  g_string_append_c (out, '}');
}

/**
 * gst_alloc_copies_report_json:
 *
 * {"elements": [{"name", "factory", "received", "copies", "bytes_copied",
 * "pads": [...]}]}; the per-element copies and bytes are the sums over its
 * source pads.
 */
gchar *
gst_alloc_copies_report_json (GPtrArray * elements)
{
  GString *out = g_string_new ("{\n  \"tracer\": \"alloccopies\",\n"
      "  \"elements\": [\n");
  GstAllocCopiesElement *e;
  GstAllocCopiesPad *p;
  guint64 copies, bytes;
  guint i, j;

  for (i = 0; i < elements->len; i++) {
    e = elements->pdata[i];
    copies = bytes = 0;
    for (j = 0; j < e->pads->len; j++) {
      p = e->pads->pdata[j];
      copies += p->copies;
      bytes += p->bytes_copied;
    }
    g_string_append (out, "    {\"name\": ");
    append_json_string (out, e->name);
    g_string_append (out, ", \"path\": ");
    append_json_string (out, e->path);
    g_string_append (out, ", \"factory\": ");
    append_json_string (out, e->factory);
    g_string_append_printf (out, ", \"received\": %" G_GUINT64_FORMAT
        ", \"copies\": %" G_GUINT64_FORMAT ", \"bytes_copied\": %"
        G_GUINT64_FORMAT ",\n      \"pads\": [\n", e->received, copies, bytes);
    for (j = 0; j < e->pads->len; j++) {
      append_json_pad (out, e->pads->pdata[j]);
      g_string_append (out, j + 1 < e->pads->len ? ",\n" : "\n");
    }
    g_string_append_printf (out, "      ]}%s\n", i + 1 < elements->len ?
        "," : "");
  }
  g_string_append (out, "  ]\n}\n");
  return g_string_free (out, FALSE);
}
