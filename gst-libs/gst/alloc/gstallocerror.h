/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/alloc/alloc-prelude.h>

G_BEGIN_DECLS

/**
 * GST_ALLOC_ERROR:
 *
 * Error domain for the gst-alloc library.
 *
 * Since: 1.0
 */
#define GST_ALLOC_ERROR (gst_alloc_error_quark ())

/**
 * GstAllocError:
 * @GST_ALLOC_ERROR_PARSE: a constraint string or structure, or a stock
 *   structure read as constraints ("video-meta" params), is malformed or
 *   names an unknown field; for our own forms the message ends with the
 *   accepted fields.
 * @GST_ALLOC_ERROR_CONFLICT: constraints exclude each other: one field
 *   asked for with values that cannot both hold (two merged sets), or two
 *   fields of one set (min-buffers above max-buffers); the message names
 *   the fields, the values and who asked for each.
 * @GST_ALLOC_ERROR_UNSATISFIABLE: no backend can give memory satisfying a
 *   constraint set; the message says why each backend was rejected.
 * @GST_ALLOC_ERROR_LAYOUT: a frame cannot be laid out within the constraints
 *   (for example the frame exceeds max-size, or a padding or alignment is
 *   too large to lay out); the message names the fields, their values and
 *   who asked for them.
 * @GST_ALLOC_ERROR_VIOLATION: a buffer does not satisfy a constraint set;
 *   the message lists each violated field and who asked for it.
 * @GST_ALLOC_ERROR_BUDGET: a pool would need more memory than its budget
 *   allows; the message says how much was asked, by whom, and the budget.
 *
 * Runtime failures of a backend (open, ioctl, mmap) are reported in the
 * %G_FILE_ERROR domain with the code derived from errno, so callers can tell
 * %G_FILE_ERROR_ACCES, %G_FILE_ERROR_NOENT and %G_FILE_ERROR_NOMEM apart.
 *
 * Since: 1.0
 */
typedef enum
{
  GST_ALLOC_ERROR_PARSE,
  GST_ALLOC_ERROR_CONFLICT,
  GST_ALLOC_ERROR_UNSATISFIABLE,
  GST_ALLOC_ERROR_LAYOUT,
  GST_ALLOC_ERROR_VIOLATION,
  GST_ALLOC_ERROR_BUDGET,
} GstAllocError;

GST_ALLOC_API
GQuark gst_alloc_error_quark (void);

G_END_DECLS
