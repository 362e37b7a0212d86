/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gst/gst.h>

#ifndef GST_ALLOC_API
# ifdef BUILDING_GST_ALLOC
#  define GST_ALLOC_API __attribute__ ((visibility ("default"))) extern
# else
#  define GST_ALLOC_API extern
# endif
#endif
