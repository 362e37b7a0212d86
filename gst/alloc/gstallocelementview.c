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

GstBuffer *
gst_alloc_element_view_downstream (GstElement * element, GstBuffer * buffer,
    const GstVideoInfo * info, const GstAllocConstraints * wants,
    gboolean * logged)
{
  GstBuffer *view = NULL;
  GError *err = NULL;

  if (!gst_alloc_element_view_spares_pool (buffer)) {
    GST_CAT_LOG_OBJECT (gst_alloc_elements_performance, element, "no view "
        "of a buffer of %" GST_PTR_FORMAT ": it would not go back to its "
        "pool", buffer->pool);
    return NULL;
  }
  view = gst_alloc_element_view_for (buffer, info, wants, TRUE, &err);
  if (!view) {
    GST_CAT_LOG_OBJECT (gst_alloc_elements_performance, element, "no view "
        "serves downstream: %s", err->message);
    g_clear_error (&err);
    return NULL;
  }
  if (!*logged)
    GST_CAT_INFO_OBJECT (gst_alloc_elements_performance, element, "viewing "
        "%" GST_PTR_FORMAT " as downstream needs it, no byte copied", buffer);
  *logged = TRUE;
  return view;
}
