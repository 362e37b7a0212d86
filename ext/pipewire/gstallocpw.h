/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

GST_ELEMENT_REGISTER_DECLARE (allocpwsink);
GST_ELEMENT_REGISTER_DECLARE (allocpwsrc);

G_END_DECLS
