/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* DRM failure paths no real device provokes on demand, against a faked
 * kernel (fakeioctl.c answering for /dev/null): the dumb-buffer backend
 * reports the errno of the PRIME export that failed, not of the clean-up
 * after it, and allocdrmimportsink's capability check reports what the
 * device said rather than a stale errno. Needs no device: runs anywhere. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/alloc/alloc.h>
#include <gst/alloc/gstallocdrm.h>

#include "fakeioctl.h"
#include "testutil.h"

#include <errno.h>
#include <string.h>
#include <xf86drm.h>

#define FAKE_NODE "/dev/null"

/* What the fake device answers. */
typedef struct
{
  guint64 prime_caps;
  /* errno of DRM_IOCTL_GET_CAP(PRIME) when it fails, 0 when it succeeds;
   * errno is left at ENOTTY after a success, which libc may do. */
  int get_cap_errno;
  int export_errno;
  int close_errno;
} FakeDrm;

static gboolean
answer_get_cap (const FakeDrm * drm, struct drm_get_cap *cap, int *result)
{
  *result = 0;
  if (cap->capability == DRM_CAP_DUMB_BUFFER) {
    cap->value = 1;
  } else if (cap->capability == DRM_CAP_PRIME && drm->get_cap_errno) {
    errno = drm->get_cap_errno;
    *result = -1;
  } else if (cap->capability == DRM_CAP_PRIME) {
    cap->value = drm->prime_caps;
    errno = ENOTTY;
  } else {
    errno = EINVAL;
    *result = -1;
  }
  return TRUE;
}

static gboolean
fake_drm (int fd, unsigned long request, void *arg, int *result, gpointer data)
{
  const FakeDrm *drm = data;
  struct drm_mode_create_dumb *create = arg;

  *result = 0;
  switch (request) {
    case DRM_IOCTL_GET_CAP:
      return answer_get_cap (drm, arg, result);
    case DRM_IOCTL_MODE_CREATE_DUMB:
      create->handle = 7;
      create->pitch = create->width * create->bpp / 8;
      create->size = (guint64) create->pitch * create->height;
      return TRUE;
    case DRM_IOCTL_MODE_DESTROY_DUMB:
      return TRUE;
    case DRM_IOCTL_PRIME_HANDLE_TO_FD:
      errno = drm->export_errno;
      *result = -1;
      return TRUE;
    case DRM_IOCTL_GEM_CLOSE:
      if (drm->close_errno) {
        errno = drm->close_errno;
        *result = -1;
      }
      return TRUE;
    default:
      return FALSE;
  }
}

GST_START_TEST (test_dumb_export_failure_reports_the_export_errno)
{
  /* The export fails for lack of fds; closing the handle afterwards fails
   * too, with another errno that must not replace the first. */
  FakeDrm drm = { DRM_PRIME_CAP_EXPORT, 0, EMFILE, EINVAL };
  GstAllocator *allocator = gst_alloc_drm_dumb_allocator_new (FAKE_NODE);
  GError *error = NULL;

  fake_ioctl_set_handler (fake_drm, &drm);
  fail_unless (gst_alloc_backend_alloc (GST_ALLOC_BACKEND (allocator), 8192,
          NULL, &error) == NULL);
  fake_ioctl_set_handler (NULL, NULL);

  fail_unless (error != NULL);
  fail_unless (g_str_has_prefix (error->message, "drm:null: "), "%s",
      error->message);
  fail_unless (strstr (error->message, g_strerror (EMFILE)) != NULL,
      "%s", error->message);
  fail_unless (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_MFILE));
  g_error_free (error);
  gst_object_unref (allocator);
}

GST_END_TEST;

/* The sink, started on the fake device; returns the error it posted. */
static GstMessage *
start_import_sink (const FakeDrm * drm)
{
  GstElement *sink = gst_element_factory_make ("allocdrmimportsink", NULL);
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;

  fail_unless (sink != NULL, "allocdrmimportsink not found");
  gst_element_set_bus (sink, bus);
  g_object_set (sink, "device", FAKE_NODE, NULL);
  fake_ioctl_set_handler (fake_drm, (gpointer) drm);
  fail_unless_equals_int (gst_element_set_state (sink, GST_STATE_READY),
      GST_STATE_CHANGE_FAILURE);
  fake_ioctl_set_handler (NULL, NULL);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "no error posted");
  gst_element_set_state (sink, GST_STATE_NULL);
  gst_element_set_bus (sink, NULL);
  gst_object_unref (bus);
  gst_object_unref (sink);
  return msg;
}

GST_START_TEST (test_import_sink_without_prime_import_blames_no_errno)
{
  FakeDrm drm = { DRM_PRIME_CAP_EXPORT, 0, 0, 0 };
  GstMessage *msg = start_import_sink (&drm);
  GError *error = NULL;
  gchar *debug = NULL;

  gst_message_parse_error (msg, &error, &debug);
  fail_unless (strstr (error->message, "cannot import dma-bufs") != NULL,
      "%s", error->message);
  /* The query succeeded: errno holds nothing about it. */
  fail_unless (strstr (debug, "errno") == NULL, "%s", debug);
  fail_unless (strstr (debug, g_strerror (ENOTTY)) == NULL, "%s", debug);
  g_error_free (error);
  g_free (debug);
  gst_message_unref (msg);
}

GST_END_TEST;

GST_START_TEST (test_import_sink_failed_capability_query_gives_its_errno)
{
  FakeDrm drm = { 0, EINVAL, 0, 0 };
  GstMessage *msg = start_import_sink (&drm);
  GError *error = NULL;
  gchar *debug = NULL;

  gst_message_parse_error (msg, &error, &debug);
  fail_unless (strstr (debug, g_strerror (EINVAL)) != NULL, "%s", debug);
  g_error_free (error);
  g_free (debug);
  gst_message_unref (msg);
}

GST_END_TEST;

static Suite *
fakedrm_suite (void)
{
  Suite *s = suite_create ("fakedrm");
  TCase *dumb = tcase_create ("dumb");
  TCase *sink = tcase_create ("importsink");

  suite_add_tcase (s, dumb);
  tcase_add_test (dumb, test_dumb_export_failure_reports_the_export_errno);
  suite_add_tcase (s, sink);
  tcase_add_test (sink, test_import_sink_without_prime_import_blames_no_errno);
  tcase_add_test (sink,
      test_import_sink_failed_capability_query_gives_its_errno);
  return s;
}

TEST_CHECK_MAIN_WITH_DRM_PLUGIN (fakedrm);
