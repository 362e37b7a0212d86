/* SPDX-License-Identifier: LGPL-2.1-or-later */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstalloccopies.h"

#include <gst/alloc/alloc.h>

static gboolean
plugin_init (GstPlugin * plugin)
{
  gst_alloc_init ();
  return gst_tracer_register (plugin, "alloccopies",
      GST_TYPE_ALLOC_COPIES_TRACER);
}

/* gst-inspect-1.0 of GStreamer 1.22 shows no tracer properties, only the
 * plugin's description: the parameters are named there too. */
GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, alloctracers,
    "Tracers that show where video memory is allocated and copied. "
    "Parameters of alloccopies: file=PATH writes the summary as JSON, "
    "print=false silences the table on stderr "
    "(GST_TRACERS=\"alloccopies(file=/tmp/copies.json,print=false)\")",
    plugin_init, VERSION, GST_LICENSE, GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)
