/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-alloc-probe: what this machine can allocate and what its devices
 * need, in one check. Lists the backends of the default solver and whether
 * each opens, derives the constraints of the devices named for a format
 * and size, merges them (or names the conflict), chooses a backend, and
 * with --try allocates a pool and has every device import its buffers. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include <gst/alloc/alloc.h>

#define EXIT_UNSATISFIED 1
#define EXIT_USAGE 2
#define MAX_BUFFERS 32

typedef struct
{
  gchar *format;
  gint width, height;
  gint buffers;
  gchar *constraints;
  gboolean trial;
  gchar **devices;
} Options;

static void
print_indented (const gchar * text)
{
  gchar **lines = g_strsplit (text, "\n", -1);
  guint i;

  for (i = 0; lines[i]; i++) {
    if (*lines[i])
      g_print ("    %s\n", lines[i]);
  }
  g_strfreev (lines);
}

static void
print_backends (void)
{
  GPtrArray *backends =
      gst_alloc_solver_get_backends (gst_alloc_solver_get_default ());
  GstAllocCapabilities caps;
  GError *err = NULL;
  gchar *described;
  guint i;

  g_print ("backends (default solver, in order):\n");
  for (i = 0; i < backends->len; i++) {
    GstAllocBackend *backend = backends->pdata[i];

    gst_alloc_backend_get_capabilities (backend, &caps);
    described = gst_alloc_capabilities_to_string (&caps);
    g_print ("  %-24s %s\n", GST_OBJECT_NAME (backend), described);
    if (gst_alloc_backend_open (backend, &err)) {
      g_print ("    opens%s\n", caps.opaque ? "; used only when a consumer "
          "names it in heaps" : "");
    } else {
      g_print ("    cannot be used: %s\n", err->message);
      g_clear_error (&err);
    }
    g_free (described);
  }
  g_ptr_array_unref (backends);
}

/* Each device's description and set, merged into @merged. FALSE on a
 * device that cannot be read or a conflict. */
static gboolean
merge_devices (const Options * o, const GstVideoInfo * info,
    GstAllocConstraints * merged)
{
  GstAllocConstraints *c;
  GError *err = NULL;
  gchar *text;
  guint i;

  for (i = 0; o->devices && o->devices[i]; i++) {
    g_print ("  %s:\n", o->devices[i]);
    text = gst_alloc_device_describe (o->devices[i], info, &err);
    if (text) {
      print_indented (text);
      g_free (text);
    }
    c = text ? gst_alloc_constraints_from_device (o->devices[i], info, &err) :
        NULL;
    if (!c) {
      g_print ("    error: %s\n", err->message);
      g_clear_error (&err);
      return FALSE;
    }
    if (!gst_alloc_constraints_merge_into (merged, c, &err)) {
      g_print ("conflict: %s\n", err->message);
      g_clear_error (&err);
      gst_alloc_constraints_free (c);
      return FALSE;
    }
    gst_alloc_constraints_free (c);
  }
  return TRUE;
}

static GstBufferPool *
make_pool (const GstVideoInfo * info, const GstAllocConstraints * c,
    guint n, GError ** error)
{
  GstBufferPool *pool = gst_alloc_pool_new (NULL);
  GstCaps *caps = gst_video_info_to_caps (info);
  GstStructure *config = gst_buffer_pool_get_config (pool);

  gst_object_set_name (GST_OBJECT (pool), "gst-alloc-probe");
  gst_buffer_pool_config_set_params (config, caps, info->size, n, n);
  gst_alloc_pool_config_set_constraints (config, c);
  gst_caps_unref (caps);
  /* Refused with corrections (size, VIDEO_META): accept them once. */
  if (!gst_buffer_pool_set_config (pool, config)
      && !gst_buffer_pool_set_config (pool, gst_buffer_pool_get_config (pool))) {
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_UNSATISFIABLE,
        "the pool refused the merged constraints (see GST_DEBUG=allocpool:4)");
    gst_object_unref (pool);
    return NULL;
  }
  if (!gst_buffer_pool_set_active (pool, TRUE)) {
    g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_UNSATISFIABLE,
        "no backend could allocate the buffers");
    gst_object_unref (pool);
    return NULL;
  }
  return pool;
}

static void
print_buffers (GstBuffer ** buffers, guint n)
{
  GstMemory *mem;
  guint i, j;

  for (i = 0; i < n; i++) {
    g_print ("    buffer %u:", i);
    for (j = 0; j < gst_buffer_n_memory (buffers[i]); j++) {
      mem = gst_buffer_peek_memory (buffers[i], j);
      if (gst_is_dmabuf_memory (mem))
        g_print (" %s dma-buf fd %d, %" G_GSIZE_FORMAT " bytes;",
            GST_OBJECT_NAME (mem->allocator), gst_dmabuf_memory_get_fd (mem),
            mem->maxsize);
      else
        g_print (" %s, %" G_GSIZE_FORMAT " bytes;",
            GST_OBJECT_NAME (mem->allocator), mem->maxsize);
    }
    g_print ("\n");
  }
}

/* Allocates @n buffers for @c and has every device import them. */
static gboolean
trial (const Options * o, const GstVideoInfo * info,
    const GstAllocConstraints * c)
{
  GstBuffer *buffers[MAX_BUFFERS] = { NULL };
  guint n = o->buffers, i, got = 0;
  GstBufferPool *pool;
  GError *err = NULL;
  gchar *report = NULL;
  gboolean ok = TRUE;

  g_print ("trial:\n");
  pool = make_pool (info, c, n, &err);
  if (!pool) {
    g_print ("  pool: %s\n", err->message);
    g_clear_error (&err);
    return FALSE;
  }
  report = gst_alloc_pool_get_report (GST_ALLOC_POOL (pool));
  g_print ("  pool:\n");
  print_indented (report);
  g_free (report);
  while (got < n && gst_buffer_pool_acquire_buffer (pool, &buffers[got],
          NULL) == GST_FLOW_OK)
    got++;
  print_buffers (buffers, got);
  for (i = 0; o->devices && o->devices[i]; i++) {
    g_print ("  %s:\n", o->devices[i]);
    if (gst_alloc_device_try_import (o->devices[i], info, buffers, got,
            &report, &err)) {
      print_indented (report);
      g_print ("    imported: yes\n");
    } else {
      if (report)
        print_indented (report);
      g_print ("    imported: no: %s\n", err->message);
      g_clear_error (&err);
      ok = FALSE;
    }
    g_free (report);
    report = NULL;
  }
  for (i = 0; i < got; i++)
    gst_buffer_unref (buffers[i]);
  gst_buffer_pool_set_active (pool, FALSE);
  gst_object_unref (pool);
  return ok;
}

static gboolean
solve (const GstAllocConstraints * c)
{
  GstAllocSolution *solution;
  GError *err = NULL;

  solution = gst_alloc_solver_solve (gst_alloc_solver_get_default (), c, &err);
  if (!solution) {
    g_print ("backend: %s\n", err->message);
    g_clear_error (&err);
    return FALSE;
  }
  g_print ("backend: %s\n", solution->explanation);
  gst_alloc_solution_free (solution);
  return TRUE;
}

static int
run (const Options * o, const GstVideoInfo * info)
{
  GstAllocConstraints *merged;
  GError *err = NULL;
  gchar *set;
  int status = 0;

  print_backends ();
  merged = gst_alloc_constraints_from_string (o->constraints ?
      o->constraints : "", "--constraints", &err);
  if (!merged) {
    g_printerr ("--constraints: %s\n", err->message);
    g_clear_error (&err);
    return EXIT_USAGE;
  }
  g_print ("devices (%s %dx%d):\n", o->format, o->width, o->height);
  if (!o->devices)
    g_print ("  (none named)\n");
  if (!merge_devices (o, info, merged)) {
    gst_alloc_constraints_free (merged);
    return EXIT_UNSATISFIED;
  }
  set = gst_alloc_constraints_to_string (merged);
  g_print ("merged: %s\n", *set ? set : "(no constraint)");
  g_free (set);
  if (!solve (merged) || (o->trial && !trial (o, info, merged)))
    status = EXIT_UNSATISFIED;
  gst_alloc_constraints_free (merged);
  return status;
}

static const gchar help_text[] =
    "Lists the backends of the default solver (DMA heaps, udmabuf, memfd,\n"
    "system, DRM dumb buffers) and whether each can be opened; derives the\n"
    "constraints of each DEVICE (a V4L2 /dev/videoN or DRM /dev/dri/cardN\n"
    "node) for the format and size; merges them with --constraints, or\n"
    "names the conflict and who asked; says which backend would be chosen.\n"
    "With --try it allocates a pool for the merged set and has every device\n"
    "import its buffers: DRM by PRIME import, V4L2 by VIDIOC_S_FMT with the\n"
    "buffers' strides, VIDIOC_REQBUFS(DMABUF) and VIDIOC_QBUF (this sets the\n"
    "V4L2 device's format).\n"
    "\n"
    "Exit status: 0 when everything is satisfied (and, with --try, every\n"
    "device imported the buffers), 1 on a device that cannot be read, a\n"
    "conflict, no backend, or a failed trial, 2 on bad usage.\n"
    "\n" "Example:\n" "  gst-alloc-probe --try /dev/video0 /dev/dri/card0\n";

static int
parse_options (int *argc, char ***argv, Options * o, GstVideoInfo * info)
{
  GOptionEntry entries[] = {
    {"format", 'f', 0, G_OPTION_ARG_STRING, &o->format,
        "Raw video format (default NV12)", "FORMAT"},
    {"width", 'W', 0, G_OPTION_ARG_INT, &o->width,
        "Width in pixels (default 1920)", "PIXELS"},
    {"height", 'H', 0, G_OPTION_ARG_INT, &o->height,
        "Height in pixels (default 1080)", "PIXELS"},
    {"constraints", 'c', 0, G_OPTION_ARG_STRING, &o->constraints,
        "More constraints to merge, in the string form", "FIELD=VALUE,..."},
    {"try", 't', 0, G_OPTION_ARG_NONE, &o->trial,
        "Allocate and have every device import the buffers", NULL},
    {"buffers", 'n', 0, G_OPTION_ARG_INT, &o->buffers,
        "Buffers to allocate for --try (default 4, at most 32)", "N"},
    {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->devices,
        NULL, "DEVICE..."},
    {NULL}
  };
  GOptionContext *ctx = g_option_context_new ("- what the backends can give "
      "and what the devices need");
  GError *err = NULL;
  GstVideoFormat format;

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  g_option_context_set_description (ctx, help_text);
  if (!g_option_context_parse (ctx, argc, argv, &err)) {
    g_printerr ("gst-alloc-probe: %s (see --help)\n", err->message);
    g_clear_error (&err);
    g_option_context_free (ctx);
    return EXIT_USAGE;
  }
  g_option_context_free (ctx);
  format = gst_video_format_from_string (o->format);
  if (format == GST_VIDEO_FORMAT_UNKNOWN || o->width <= 0 || o->height <= 0
      || !gst_video_info_set_format (info, format, o->width, o->height)) {
    g_printerr ("gst-alloc-probe: bad format or size: %s %dx%d\n", o->format,
        o->width, o->height);
    return EXIT_USAGE;
  }
  if (o->buffers < 1 || o->buffers > MAX_BUFFERS) {
    g_printerr ("gst-alloc-probe: --buffers must be from 1 to %d\n",
        MAX_BUFFERS);
    return EXIT_USAGE;
  }
  return 0;
}

int
main (int argc, char **argv)
{
  Options o = { NULL, 1920, 1080, 4, NULL, FALSE, NULL };
  GstVideoInfo info;
  int status;

  o.format = g_strdup ("NV12");
  status = parse_options (&argc, &argv, &o, &info);
  if (status == 0) {
    gst_alloc_init ();
    status = run (&o, &info);
  }
  g_free (o.format);
  g_free (o.constraints);
  g_strfreev (o.devices);
  return status;
}
