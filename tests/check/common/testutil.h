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

/* A config of @pool for @info in @size-byte buffers, @min to @max of them
 * (0: no maximum), with the constraint set @constraints asked by
 * "test-consumer". */
GstStructure *test_pool_config (GstBufferPool * pool,
    const GstVideoInfo * info, guint size, const gchar * constraints,
    guint min, guint max);

/* Fails the test unless @a and @b, each mapped as a frame of @info (through
 * its own GstVideoMeta when it has one), show the same visible pixels,
 * naming the first plane and row that differs. */
void test_assert_same_visible_rows (const GstVideoInfo * info, GstBuffer * a,
    GstBuffer * b);

/* Loads the allocdrm plugin from ext/drm of the build tree, two levels
 * above the test executable. For main(), before the suite runs, where
 * fail_unless() cannot report: prints why and returns FALSE on failure. */
gboolean test_load_drm_plugin (void);

/* GST_CHECK_MAIN for the suites of ext/drm's elements, which the build
 * tree's registry does not list: loads the plugin first. */
#define TEST_CHECK_MAIN_WITH_DRM_PLUGIN(name)                           \
int main (int argc, char **argv)                                        \
{                                                                       \
  gst_check_init (&argc, &argv);                                        \
  gst_alloc_init ();                                                    \
  if (!test_load_drm_plugin ())                                         \
    return 1;                                                           \
  return gst_check_run_suite (name##_suite (), #name, __FILE__);        \
}

/* main() of a suite this GStreamer cannot run: prints "SKIP: GStreamer
 * X.Y" followed by @why and exits with 77, meson's SKIP. */
#define TEST_SKIP_MAIN(why)                                             \
int main (int argc, char **argv)                                        \
{                                                                       \
  g_print ("SKIP: GStreamer %d.%d" why "\n", GST_VERSION_MAJOR,         \
      GST_VERSION_MINOR);                                               \
  return 77;                                                            \
}

G_END_DECLS
