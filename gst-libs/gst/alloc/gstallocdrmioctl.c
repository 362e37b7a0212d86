/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The DRM ioctls the device reader and the dumb-buffer backend share,
 * issued with libdrm's drm.h definitions rather than through libdrm's
 * drmIoctl(), which retries EAGAIN without end. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocdrmioctl-private.h"
#include "gstallocsyscall-private.h"

#include <drm.h>

gboolean
gst_alloc_drm_get_cap (int fd, guint64 capability, guint64 * value)
{
  struct drm_get_cap cap = { 0 };

  cap.capability = capability;
  if (gst_alloc_ioctl (fd, DRM_IOCTL_GET_CAP, &cap) < 0)
    return FALSE;
  *value = cap.value;
  return TRUE;
}

gboolean
gst_alloc_drm_close_handle (int fd, guint32 handle)
{
  struct drm_gem_close close_arg = { 0 };

  close_arg.handle = handle;
  return gst_alloc_ioctl (fd, DRM_IOCTL_GEM_CLOSE, &close_arg) >= 0;
}
