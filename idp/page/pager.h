/* Pagination for long lists (the console's 33,000 people): which rows a
 * page shows, which page numbers the pager offers, and the pager itself.
 * A malformed or missing page number means the first page; one past the
 * end means the last, so a link kept after rows were removed still
 * shows something. */
#ifndef IDP_PAGE_PAGER_H
#define IDP_PAGE_PAGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "page/page.h"

#define IDP_PAGER_WINDOW 7

struct idp_pager {
	int64_t page;		/* 1-based, within [1, pages] */
	int64_t pages;		/* at least 1 */
	int64_t per_page;
	int64_t total;
	int64_t offset;		/* rows before this page (OFFSET) */
};

/* per_page is clamped to [1, 1000], a negative total counts as 0. */
void idp_pager_init(struct idp_pager *p, const char *page_param,
    int64_t per_page, int64_t total);

/* The page numbers to offer, in order: the first, the last, the current
 * one and its neighbours; 0 stands for a gap. Returns how many (at most
 * IDP_PAGER_WINDOW). */
size_t idp_pager_window(const struct idp_pager *p,
    int64_t out[IDP_PAGER_WINDOW]);

/* <nav> with "page 3 of 660", previous and next, and the window. base is
 * the list's URL without a page parameter (a query is kept). Nothing when
 * everything fits on one page. */
void idp_page_pager(struct idp_page *pg, const struct idp_pager *p,
    const char *base);

/* The pager of a list paged by keys (the console's people, in name
 * order): links to the first page (when first), to the page before the
 * row before and after the row after (when > 0), as ?before=ID and
 * ?after=ID on base. Nothing when there is neither. */
void idp_page_pager_keyset(struct idp_page *pg, const char *base,
    bool first, long long before, long long after);

extern const struct idp_msg idp_pager_msgs[];
extern const size_t idp_pager_nmsgs;

#endif
