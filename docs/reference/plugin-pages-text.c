/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The long descriptions of the element and tracer pages: the
 * "SECTION:element-NAME" doc comments of the plugins' sources, turned into
 * DocBook. The comments use a small part of gtk-doc's syntax: paragraphs,
 * "- " lists, |[ ]| examples, `code`, %CONSTANT, #Type and #Type:property. */

#include "plugin-pages.h"

#include <string.h>

gchar *
pages_escape (const gchar * text)
{
  return g_markup_escape_text (text ? text : "", -1);
}

/* Inline markup of one escaped line of prose. */
static gchar *
inline_markup (const gchar * escaped)
{
  static GRegex *code, *constant, *type;
  gchar *a, *b, *c;

  if (!code) {
    code = g_regex_new ("`([^`]+)`", 0, 0, NULL);
    constant = g_regex_new ("%([A-Z][A-Z0-9_]*)", 0, 0, NULL);
    type = g_regex_new ("#([A-Za-z][A-Za-z0-9_]*(:[a-z0-9-]+)?)", 0, 0, NULL);
  }
  a = g_regex_replace (code, escaped, -1, 0, "<literal>\\1</literal>", 0, NULL);
  b = g_regex_replace (constant, a, -1, 0, "<literal>\\1</literal>", 0, NULL);
  c = g_regex_replace (type, b, -1, 0, "<literal>\\1</literal>", 0, NULL);
  g_free (a);
  g_free (b);
  return c;
}

typedef enum
{
  IN_NOTHING,
  IN_PARA,
  IN_LIST,
  IN_EXAMPLE,
} Block;

static void
close_block (GString * out, Block * block)
{
  static const gchar *closing[] = { "", "</para>\n",
    "</para></listitem></itemizedlist>\n",
    "</programlisting></informalexample>\n"
  };

  g_string_append (out, closing[*block]);
  *block = IN_NOTHING;
}

/* One line of the comment, its " * " already removed. */
static void
convert_line (GString * out, Block * block, const gchar * line)
{
  gchar *escaped, *marked;

  if (*block == IN_EXAMPLE) {
    if (g_str_has_prefix (line, "]|")) {
      close_block (out, block);
      return;
    }
    escaped = pages_escape (line);
    g_string_append_printf (out, "%s\n", escaped);
    g_free (escaped);
    return;
  }
  if (g_str_has_prefix (line, "|[")) {
    close_block (out, block);
    g_string_append (out, "<informalexample><programlisting>");
    *block = IN_EXAMPLE;
    return;
  }
  if (*line == '\0') {
    close_block (out, block);
    return;
  }
  escaped = pages_escape (g_str_has_prefix (line, "- ") ? line + 2 : line);
  marked = inline_markup (escaped);
  if (g_str_has_prefix (line, "- ")) {
    if (*block == IN_LIST)
      g_string_append (out, "</para></listitem>\n<listitem><para>");
    else {
      close_block (out, block);
      g_string_append (out, "<itemizedlist>\n<listitem><para>");
      *block = IN_LIST;
    }
  } else if (*block == IN_NOTHING) {
    g_string_append (out, "<para>");
    *block = IN_PARA;
  }
  g_string_append_printf (out, "%s\n", marked);
  g_free (escaped);
  g_free (marked);
}

/* The comment's lines from the one after "SECTION:NAME" to its end. */
static gchar *
convert_section (gchar ** lines)
{
  GString *out = g_string_new (NULL);
  Block block = IN_NOTHING;
  const gchar *line;
  guint i;

  for (i = 0; lines[i] && !strstr (lines[i], "*/"); i++) {
    line = lines[i];
    while (*line == ' ')
      line++;
    if (*line == '*')
      line++;
    if (*line == ' ')
      line++;
    /* @title:, @short_description: and the like belong to gtk-doc. */
    if (block == IN_NOTHING && *line == '@')
      continue;
    convert_line (out, &block, line);
  }
  close_block (out, &block);
  return g_string_free (out, FALSE);
}

static void
read_file (Pages * pages, const gchar * path)
{
  gchar *contents, **lines, *name;
  const gchar *start;
  guint i;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return;
  lines = g_strsplit (contents, "\n", -1);
  for (i = 0; lines[i]; i++) {
    start = strstr (lines[i], "SECTION:");
    if (!start || (!strstr (start, ":element-") && !strstr (start, ":tracer-")))
      continue;
    name = g_strstrip (g_strdup (start + strlen ("SECTION:")));
    g_hash_table_replace (pages->sections, name,
        convert_section (lines + i + 1));
  }
  g_strfreev (lines);
  g_free (contents);
}

/* Every *.c under @dir, recursively. */
void
pages_read_sections (Pages * pages, const gchar * dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  const gchar *name;
  gchar *path;

  if (!d) {
    pages_problem (pages, "cannot read the sources in %s", dir);
    return;
  }
  while ((name = g_dir_read_name (d))) {
    path = g_build_filename (dir, name, NULL);
    if (g_file_test (path, G_FILE_TEST_IS_DIR))
      pages_read_sections (pages, path);
    else if (g_str_has_suffix (name, ".c"))
      read_file (pages, path);
    g_free (path);
  }
  g_dir_close (d);
}
