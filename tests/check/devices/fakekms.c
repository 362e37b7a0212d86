/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* DRM discovery of the modifiers KMS planes take (their IN_FORMATS blobs),
 * against a faked kernel: the VM's vgem has no KMS, so no real device of
 * the rig has planes. /dev/null stands for the node: stat() says it is a
 * DRM character device (major 226) and fakeioctl.c answers every DRM
 * ioctl libdrm and the library issue. Needs no device: runs anywhere. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/alloc/alloc.h>

#include "fakeioctl.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <xf86drm.h>
#include <xf86drmMode.h>
#include <drm_fourcc.h>

#define FAKE_NODE "/dev/null"
#define MOD_X G_GUINT64_CONSTANT (0x0800000000000001)
#define PLANE_BLOB 31           /* lists its modifiers in IN_FORMATS */
#define PLANE_PLAIN 32          /* has no IN_FORMATS: a driver without them */
#define PROP_IN_FORMATS 100
#define BLOB_IN_FORMATS 200

static gboolean faking;

/* The library tells a DRM node by its character-device major. */
int
stat (const char *path, struct stat *buf)
{
  int ret = fstatat (AT_FDCWD, path, buf, 0);

  if (ret == 0 && faking && strcmp (path, FAKE_NODE) == 0)
    buf->st_rdev = makedev (226, 0);
  return ret;
}

typedef struct
{
  /* Whether plane 31 lists the linear modifier for NV12. */
  gboolean nv12_linear;
  /* Whether plane 32 exists. */
  gboolean plain_plane;
  guint8 blob[256];
  guint32 blob_size;
} FakeKms;

/* IN_FORMATS: formats XR24 and NV12; modifiers linear (XR24, and NV12 when
 * @nv12_linear), X (NV12), DRM_FORMAT_MOD_INVALID (both, to be left out). */
static void
make_blob (FakeKms * kms)
{
  struct drm_format_modifier_blob head = { 0 };
  guint32 formats[] = { DRM_FORMAT_XRGB8888, DRM_FORMAT_NV12 };
  struct drm_format_modifier mods[3];

  memset (mods, 0, sizeof (mods));
  mods[0].formats = kms->nv12_linear ? 0x3 : 0x1;
  mods[0].modifier = DRM_FORMAT_MOD_LINEAR;
  mods[1].formats = 0x2;
  mods[1].modifier = MOD_X;
  mods[2].formats = 0x3;
  mods[2].modifier = DRM_FORMAT_MOD_INVALID;
  head.version = FORMAT_BLOB_CURRENT;
  head.count_formats = G_N_ELEMENTS (formats);
  head.formats_offset = sizeof (head);
  head.count_modifiers = G_N_ELEMENTS (mods);
  head.modifiers_offset = sizeof (head) + sizeof (formats);
  memcpy (kms->blob, &head, sizeof (head));
  memcpy (kms->blob + head.formats_offset, formats, sizeof (formats));
  memcpy (kms->blob + head.modifiers_offset, mods, sizeof (mods));
  kms->blob_size = head.modifiers_offset + sizeof (mods);
}

/* libdrm asks for counts with NULL arrays, then again to fill them. */
static void
fill_u32 (guint64 ptr, guint32 * count, const guint32 * values, guint32 n)
{
  if (ptr && *count >= n)
    memcpy (GSIZE_TO_POINTER (ptr), values, n * sizeof (guint32));
  *count = n;
}

static void
copy_string (const gchar * value, char *buffer, __kernel_size_t * length)
{
  if (buffer && *length >= strlen (value))
    memcpy (buffer, value, strlen (value));
  *length = strlen (value);
}

/* libdrm copies all three strings: none may be missing. */
static void
answer_version (struct drm_version *v)
{
  v->version_major = 1;
  copy_string ("fakekms", v->name, &v->name_len);
  copy_string ("20261130", v->date, &v->date_len);
  copy_string ("fake KMS", v->desc, &v->desc_len);
}

static void
answer_plane (struct drm_mode_get_plane *p)
{
  guint32 both[] = { DRM_FORMAT_XRGB8888, DRM_FORMAT_NV12 };
  guint32 nv12[] = { DRM_FORMAT_NV12 };

  if (p->plane_id == PLANE_BLOB)
    fill_u32 (p->format_type_ptr, &p->count_format_types, both, 2);
  else
    fill_u32 (p->format_type_ptr, &p->count_format_types, nv12, 1);
}

static void
answer_properties (struct drm_mode_obj_get_properties *o)
{
  guint32 ids[] = { PROP_IN_FORMATS };
  guint64 values[] = { BLOB_IN_FORMATS };
  guint32 n = o->obj_id == PLANE_BLOB ? 1 : 0;

  if (o->props_ptr && o->count_props >= n && n) {
    memcpy (GSIZE_TO_POINTER (o->props_ptr), ids, sizeof (ids));
    memcpy (GSIZE_TO_POINTER (o->prop_values_ptr), values, sizeof (values));
  }
  o->count_props = n;
}

static gboolean
answer_kms (FakeKms * kms, unsigned long request, void *arg)
{
  guint32 planes[] = { PLANE_BLOB, PLANE_PLAIN };
  struct drm_mode_get_plane_res *res = arg;
  struct drm_mode_get_property *prop = arg;
  struct drm_mode_get_blob *blob = arg;

  switch (request) {
    case DRM_IOCTL_MODE_GETPLANERESOURCES:
      fill_u32 (res->plane_id_ptr, &res->count_planes, planes,
          kms->plain_plane ? 2 : 1);
      return TRUE;
    case DRM_IOCTL_MODE_GETPLANE:
      answer_plane (arg);
      return TRUE;
    case DRM_IOCTL_MODE_OBJ_GETPROPERTIES:
      answer_properties (arg);
      return TRUE;
    case DRM_IOCTL_MODE_GETPROPERTY:
      g_strlcpy (prop->name, "IN_FORMATS", sizeof (prop->name));
      prop->flags = DRM_MODE_PROP_BLOB | DRM_MODE_PROP_IMMUTABLE;
      prop->count_values = prop->count_enum_blobs = 0;
      return TRUE;
    case DRM_IOCTL_MODE_GETPROPBLOB:
      if (blob->data && blob->length >= kms->blob_size)
        memcpy (GSIZE_TO_POINTER (blob->data), kms->blob, kms->blob_size);
      blob->length = kms->blob_size;
      return TRUE;
    default:
      return FALSE;
  }
}

static gboolean
fake_kms (int fd, unsigned long request, void *arg, int *result, gpointer data)
{
  struct drm_get_cap *cap = arg;
  struct drm_mode_create_dumb *create = arg;

  *result = 0;
  switch (request) {
    case DRM_IOCTL_VERSION:
      answer_version (arg);
      return TRUE;
    case DRM_IOCTL_GET_CAP:
      cap->value = cap->capability == DRM_CAP_PRIME ?
          DRM_PRIME_CAP_IMPORT | DRM_PRIME_CAP_EXPORT : 1;
      return TRUE;
    case DRM_IOCTL_SET_CLIENT_CAP:
    case DRM_IOCTL_GEM_CLOSE:
    case DRM_IOCTL_MODE_DESTROY_DUMB:
      return TRUE;
    case DRM_IOCTL_MODE_CREATE_DUMB:
      create->handle = 7;
      create->pitch = GST_ROUND_UP_64 (create->width * create->bpp / 8);
      create->size = (guint64) create->pitch * create->height;
      return TRUE;
    default:
      return answer_kms (data, request, arg);
  }
}

static GstAllocConstraints *
discover (FakeKms * kms, GstVideoFormat format, GError ** error)
{
  GstAllocConstraints *c;
  GstVideoInfo info;

  make_blob (kms);
  gst_video_info_set_format (&info, format, 640, 480);
  faking = TRUE;
  fake_ioctl_set_handler (fake_kms, kms);
  c = gst_alloc_constraints_from_device (FAKE_NODE, &info, error);
  fake_ioctl_set_handler (NULL, NULL);
  faking = FALSE;
  return c;
}

static void
assert_drm_formats (const GstAllocConstraints * c, const gchar * expected)
{
  gchar *got = gst_alloc_constraints_describe_field (c,
      GST_ALLOC_FIELD_DRM_FORMATS);

  fail_unless_equals_string (got, expected);
  fail_unless_equals_string (gst_alloc_constraints_get_origin (c,
          GST_ALLOC_FIELD_DRM_FORMATS), FAKE_NODE);
  g_free (got);
}

/* Plane 31 lists linear and X for NV12, plane 32 has no blob (linear);
 * DRM_FORMAT_MOD_INVALID is left out. */
GST_START_TEST (test_planes_in_formats_give_drm_formats)
{
  FakeKms kms = { TRUE, TRUE, };
  GError *err = NULL;
  GstAllocConstraints *c = discover (&kms, GST_VIDEO_FORMAT_NV12, &err);

  fail_unless (c != NULL, "%s", err ? err->message : "");
  assert_drm_formats (c, "NV12:linear|NV12:0x0800000000000001");
  fail_unless_equals_int (c->memory, GST_ALLOC_MEMORY_DMABUF);
  gst_alloc_constraints_free (c);

  c = discover (&kms, GST_VIDEO_FORMAT_BGRx, &err);
  fail_unless (c != NULL, "%s", err ? err->message : "");
  assert_drm_formats (c, "XR24:linear");
  gst_alloc_constraints_free (c);

  /* Linear for NV12 from the plane without a blob alone. */
  kms.nv12_linear = FALSE;
  c = discover (&kms, GST_VIDEO_FORMAT_NV12, &err);
  fail_unless (c != NULL, "%s", err ? err->message : "");
  assert_drm_formats (c, "NV12:linear|NV12:0x0800000000000001");
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

GST_START_TEST (test_format_no_plane_scans_out_is_an_error)
{
  FakeKms kms = { TRUE, TRUE, };
  GError *err = NULL;

  fail_if (discover (&kms, GST_VIDEO_FORMAT_YUY2, &err));
  fail_unless (g_error_matches (err, GST_ALLOC_ERROR,
          GST_ALLOC_ERROR_UNSATISFIABLE));
  fail_unless_equals_string (err->message, FAKE_NODE ": no KMS plane scans "
      "out YUY2");
  g_error_free (err);
}

GST_END_TEST;

/* Without a linear modifier for NV12 on any plane the set is what the
 * device says, and the layout refuses it naming the modifier. */
GST_START_TEST (test_tiled_only_planes_leave_no_linear_layout)
{
  FakeKms kms = { FALSE, FALSE, };
  GstAllocConstraints *c;
  GstAllocLayout layout;
  GstVideoInfo info;
  GError *err = NULL;

  c = discover (&kms, GST_VIDEO_FORMAT_NV12, &err);
  fail_unless (c != NULL, "%s", err ? err->message : "");
  assert_drm_formats (c, "NV12:0x0800000000000001");
  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_NV12, 640, 480);
  fail_if (gst_alloc_layout_compute (&layout, &info, c, &err));
  fail_unless (strstr (err->message, "drm-formats NV12:0x0800000000000001 "
          "(asked by " FAKE_NODE ") accepts NV12 only with the modifiers "
          "0x0800000000000001"), "%s", err->message);
  g_clear_error (&err);
  gst_alloc_constraints_free (c);
}

GST_END_TEST;

GST_START_TEST (test_description_says_where_the_modifiers_come_from)
{
  FakeKms kms = { TRUE, TRUE, };
  GstVideoInfo info;
  GError *err = NULL;
  gchar *text;

  make_blob (&kms);
  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_NV12, 640, 480);
  faking = TRUE;
  fake_ioctl_set_handler (fake_kms, &kms);
  text = gst_alloc_device_describe (FAKE_NODE, &info, &err);
  fake_ioctl_set_handler (NULL, NULL);
  faking = FALSE;
  fail_unless (text != NULL, "%s", err ? err->message : "");
  fail_unless (strstr (text, "KMS: 2 of 2 planes scan out NV12"), "%s", text);
  fail_unless (strstr (text, "drm-formats=NV12:linear|"
          "NV12:0x0800000000000001: the modifiers the planes' IN_FORMATS "
          "list (linear for the planes without IN_FORMATS)"), "%s", text);
  g_free (text);
}

GST_END_TEST;

static Suite *
fakekms_suite (void)
{
  Suite *s = suite_create ("fakekms");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_planes_in_formats_give_drm_formats);
  tcase_add_test (tc, test_format_no_plane_scans_out_is_an_error);
  tcase_add_test (tc, test_tiled_only_planes_leave_no_linear_layout);
  tcase_add_test (tc, test_description_says_where_the_modifiers_come_from);
  return s;
}

GST_CHECK_MAIN (fakekms);
