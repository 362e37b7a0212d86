/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "testutil.h"

#include <gst/check/gstcheck.h>
#include <string.h>

gchar *
test_fdinfo_value (int fd, const gchar * key)
{
  gchar *path = g_strdup_printf ("/proc/self/fdinfo/%d", fd);
  gchar *contents = NULL, *value = NULL;
  gchar **lines;
  gsize key_len = strlen (key);
  guint i;

  fail_unless (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (i = 0; lines[i] && !value; i++) {
    if (strncmp (lines[i], key, key_len) == 0 && lines[i][key_len] == ':')
      value = g_strstrip (g_strdup (lines[i] + key_len + 1));
  }
  g_strfreev (lines);
  g_free (contents);
  g_free (path);
  return value;
}

guint
test_count_open_fds (void)
{
  GDir *dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  fail_unless (dir != NULL);
  while (g_dir_read_name (dir))
    n++;
  g_dir_close (dir);
  return n;
}

GstAllocConstraints *
test_constraints_parse (const gchar * str, const gchar * origin)
{
  GError *err = NULL;
  GstAllocConstraints *c = gst_alloc_constraints_from_string (str, origin,
      &err);

  fail_unless (c != NULL, "'%s' does not parse: %s", str,
      err ? err->message : "(no error set)");
  return c;
}

void
test_memory_write_then_read (GstMemory * mem)
{
  GstMapInfo map;
  gsize i;

  fail_unless (gst_memory_map (mem, &map, GST_MAP_WRITE));
  for (i = 0; i < map.size; i++)
    map.data[i] = i % 251;
  gst_memory_unmap (mem, &map);

  fail_unless (gst_memory_map (mem, &map, GST_MAP_READ));
  for (i = 0; i < map.size; i++)
    fail_unless_equals_int (map.data[i], i % 251);
  gst_memory_unmap (mem, &map);
}

GstAllocSolver *
test_memfd_solver (void)
{
  GstAllocSolver *solver = gst_alloc_solver_new ();
  GstAllocator *memfd = gst_alloc_memfd_allocator_new ();

  gst_alloc_solver_add_backend (solver, memfd);
  gst_object_unref (memfd);
  return solver;
}
