/* The stylesheet of every page (served by endpoint/static.c). */
#ifndef IDP_PAGE_STYLE_H
#define IDP_PAGE_STYLE_H

#include <stddef.h>

const char *idp_page_css(size_t *len);

#endif
