/* SPDX-License-Identifier: LGPL-2.1-or-later */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstallocelements.h"

static gboolean
plugin_init (GstPlugin * plugin)
{
  gboolean ret = FALSE;

  ret |= GST_ELEMENT_REGISTER (allocfilter, plugin);
  ret |= GST_ELEMENT_REGISTER (alloctee, plugin);
  ret |= GST_ELEMENT_REGISTER (allocconvert, plugin);
  ret |= GST_ELEMENT_REGISTER (allocchecksink, plugin);
  return ret;
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, alloc,
    "Allocate once: constraint-carrying allocation elements",
    plugin_init, VERSION, GST_LICENSE, GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)
