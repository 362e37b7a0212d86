/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Built instead of gstallocdevice-drm.c without libdrm: DRM nodes are
 * recognised, and reading them fails saying why. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocdevice-private.h"

gboolean
gst_alloc_device_probe_drm (GstAllocDeviceProbe * probe, GError ** error)
{
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOSYS,
      "%s is a DRM device, but gst-alloc was built without libdrm, which "
      "DRM discovery needs", probe->path);
  return FALSE;
}

gboolean
gst_alloc_device_import_drm (GstAllocDeviceProbe * probe,
    GstBuffer * const *buffers, guint n_buffers, GError ** error)
{
  return gst_alloc_device_probe_drm (probe, error);
}
