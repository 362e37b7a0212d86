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

GstStructure *
test_pool_config (GstBufferPool * pool, const GstVideoInfo * info,
    guint size, const gchar * constraints, guint min, guint max)
{
  GstStructure *config = gst_buffer_pool_get_config (pool);
  GstCaps *caps = gst_video_info_to_caps (info);
  GstAllocConstraints *c = test_constraints_parse (constraints,
      "test-consumer");

  gst_buffer_pool_config_set_params (config, caps, size, min, max);
  gst_alloc_pool_config_set_constraints (config, c);
  gst_alloc_constraints_free (c);
  gst_caps_unref (caps);
  return config;
}

void
test_assert_same_visible_rows (const GstVideoInfo * info, GstBuffer * a,
    GstBuffer * b)
{
  GstVideoFrame fa, fb;
  guint p, row;
  gsize width;

  fail_unless (gst_video_frame_map (&fa, info, a, GST_MAP_READ));
  fail_unless (gst_video_frame_map (&fb, info, b, GST_MAP_READ));
  for (p = 0; p < GST_VIDEO_FRAME_N_PLANES (&fa); p++) {
    width = (gsize) GST_VIDEO_FRAME_COMP_WIDTH (&fa, p)
        * GST_VIDEO_FRAME_COMP_PSTRIDE (&fa, p);
    for (row = 0; row < (guint) GST_VIDEO_FRAME_COMP_HEIGHT (&fa, p); row++)
      fail_unless (memcmp ((guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&fa, p)
              + row * GST_VIDEO_FRAME_PLANE_STRIDE (&fa, p),
              (guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&fb, p)
              + row * GST_VIDEO_FRAME_PLANE_STRIDE (&fb, p), width) == 0,
          "plane %u row %u differs", p, row);
  }
  gst_video_frame_unmap (&fb);
  gst_video_frame_unmap (&fa);
}

gboolean
test_load_drm_plugin (void)
{
  gchar *exe = g_file_read_link ("/proc/self/exe", NULL);
  gchar *dir = g_path_get_dirname (exe);
  gchar *path = g_build_filename (dir, "..", "..", "ext", "drm",
      "libgstallocdrm.so", NULL);
  GError *error = NULL;
  GstPlugin *plugin = gst_plugin_load_file (path, &error);

  if (plugin)
    gst_object_unref (plugin);
  else
    g_printerr ("cannot load %s: %s\n", path, error->message);
  g_clear_error (&error);
  g_free (path);
  g_free (dir);
  g_free (exe);
  return plugin != NULL;
}
