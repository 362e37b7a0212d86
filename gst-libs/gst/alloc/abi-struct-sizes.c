/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Prints the size of each public struct whose size is part of the ABI
 * (applications embed them), for scripts/check-abi. */

#include <gst/alloc/alloc.h>

#include <stdio.h>

int
main (void)
{
  printf ("struct GstAllocCapabilities %zu\n", sizeof (GstAllocCapabilities));
  printf ("struct GstAllocConstraints %zu\n", sizeof (GstAllocConstraints));
  printf ("struct GstAllocLayout %zu\n", sizeof (GstAllocLayout));
  printf ("struct GstAllocView %zu\n", sizeof (GstAllocView));
  return 0;
}
