/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Built instead of the libdrm files when libdrm is not found: DRM devices
 * are recognised but cannot be read, and there are no DRM backends. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocdevice-private.h"

gboolean
gst_alloc_device_probe_drm (GstAllocDeviceProbe * probe, GError ** error)
{
  g_set_error (error, GST_ALLOC_ERROR, GST_ALLOC_ERROR_PARSE,
      "%s is a DRM device, but DRM discovery is not built (gst-alloc was "
      "built without libdrm)", probe->path);
  return FALSE;
}

GPtrArray *
gst_alloc_drm_dumb_default_backends (void)
{
  return g_ptr_array_new_with_free_func (gst_object_unref);
}

gboolean
gst_alloc_device_import_drm (GstAllocDeviceProbe * probe,
    GstBuffer * const *buffers, guint n_buffers, GError ** error)
{
  return gst_alloc_device_probe_drm (probe, error);
}
