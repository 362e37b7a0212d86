/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The conflict scenarios: four consumers, the last of which cannot take the
 * others' buffers as they are.
 *
 *   conflict-structural  it wants one memory per plane (a V4L2 multi-planar
 *                        consumer among single-plane ones): only how a
 *                        buffer describes the memory differs, and alloctee
 *                        serves it views of the shared memory.
 *   conflict-physical    it takes only plain process memory (a consumer
 *                        that cannot import fd memory): the memory itself
 *                        differs, and it gets copies. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "bench.h"

static const gchar *structural[BENCH_CONFLICT_BRANCHES] = {
  "planes=single,stride-align=256,memory=dmabuf|memfd",
  "planes=single,stride-align=64,height-align=16,memory=dmabuf|memfd",
  "planes=single,memory=dmabuf|memfd,cpu-access=read",
  "planes=separate,memory=dmabuf|memfd",
};

static const gchar *physical[BENCH_CONFLICT_BRANCHES] = {
  "stride-align=256,memory=dmabuf|memfd",
  "stride-align=64,height-align=16,memory=dmabuf|memfd",
  "memory=dmabuf|memfd,cpu-access=read",
  "memory=system,cpu-access=read",
};

gboolean
bench_kind_is_conflict (BenchKind kind)
{
  return kind == BENCH_CONFLICT_STRUCTURAL || kind == BENCH_CONFLICT_PHYSICAL;
}

const gchar *
bench_conflict_constraints (BenchKind kind, guint branch)
{
  g_return_val_if_fail (bench_kind_is_conflict (kind), NULL);
  return (kind == BENCH_CONFLICT_STRUCTURAL ? structural : physical)[branch %
      BENCH_CONFLICT_BRANCHES];
}
