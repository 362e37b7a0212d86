/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A view for a consumer, as alloctee and allocconvert make one: the
 * buffer's memory described as the consumer needs it (gst_alloc_view_new()),
 * checked in full unless the memory is already known to suit. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocelements.h"

GstBuffer *
gst_alloc_element_view_for (GstBuffer * buffer, const GstVideoInfo * info,
    const GstAllocConstraints * wants, gboolean check, GError ** error)
{
  GstBuffer *view = gst_alloc_view_new (buffer, info, wants, error);

  /* Memory kinds, contiguity and heaps are the memory's: a view keeps
   * them, so only a check of the whole buffer tells. */
  if (view && check
      && !gst_alloc_constraints_check_buffer (wants, info, view, error))
    gst_clear_buffer (&view);
  return view;
}

gboolean
gst_alloc_element_view_spares_pool (GstBuffer * buffer)
{
  return !buffer->pool || GST_IS_ALLOC_POOL (buffer->pool);
}
