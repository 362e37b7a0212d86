/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Runs the fuzz target's properties on given files and directories of
 * inputs, without libFuzzer: the seed corpus becomes a plain test that
 * any compiler builds, and a crash reproducer can be replayed as
 *
 *   build/tests/fuzz/fuzz-replay crash-<sha1>
 *
 * A violated property aborts, as it does under libFuzzer. */

#include <glib.h>

#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

static guint
replay_file (const gchar * path)
{
  gchar *contents = NULL;
  gsize length = 0;
  GError *error = NULL;

  if (!g_file_get_contents (path, &contents, &length, &error)) {
    fprintf (stderr, "fuzz-replay: %s\n", error->message);
    g_error_free (error);
    return 0;
  }
  LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
  g_free (contents);
  return 1;
}

static guint
replay_path (const gchar * path, gboolean * failed)
{
  GDir *dir;
  const gchar *name;
  gchar *child;
  guint n = 0;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR)) {
    n = replay_file (path);
    *failed |= n == 0;
    return n;
  }
  dir = g_dir_open (path, 0, NULL);
  while (dir && (name = g_dir_read_name (dir))) {
    child = g_build_filename (path, name, NULL);
    n += replay_path (child, failed);
    g_free (child);
  }
  if (dir)
    g_dir_close (dir);
  else
    *failed = TRUE;
  return n;
}

int
main (int argc, char **argv)
{
  gboolean failed = FALSE;
  guint n = 0;
  int i;

  if (argc < 2) {
    fprintf (stderr, "usage: %s FILE-OR-DIRECTORY...\n", argv[0]);
    return 2;
  }
  LLVMFuzzerInitialize (&argc, &argv);
  for (i = 1; i < argc; i++)
    n += replay_path (argv[i], &failed);
  printf ("fuzz-replay: %u inputs, every property held\n", n);
  return failed || n == 0 ? 1 : 0;
}
