/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* errno reporting and the ioctl retry policy shared by the backends and the
 * device readers. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocsyscall-private.h"

#include <errno.h>
#include <sys/ioctl.h>

void
gst_alloc_set_errno_error (GError ** error, int errsv, const gchar * format,
    ...)
{
  va_list args;
  gchar *what;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
      "%s: %s", what, g_strerror (errsv));
  g_free (what);
}

int
gst_alloc_ioctl (int fd, unsigned long request, void *arg)
{
  gulong wait_us = 1000;
  guint eagain_retries = 0;
  int ret, errsv;

  for (;;) {
    ret = ioctl (fd, request, arg);
    if (ret != -1)
      return ret;
    errsv = errno;
    if (errsv == EINTR)
      continue;
    /* A busy driver may relent soon; one that keeps saying EAGAIN would
     * otherwise hold the caller (often a streaming thread) forever. */
    if (errsv != EAGAIN || eagain_retries == GST_ALLOC_IOCTL_EAGAIN_RETRIES)
      break;
    eagain_retries++;
    g_usleep (wait_us);
    wait_us *= 2;
  }
  errno = errsv;
  return ret;
}
