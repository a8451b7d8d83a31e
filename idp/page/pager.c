#include <stdio.h>
#include <string.h>

#include "page/pager.h"
#include "util/str.h"

enum { M_NAV, M_STATUS, M_PREV, M_NEXT, M_PAGE_N, M_FIRST, M_COUNT };

const struct idp_msg idp_pager_msgs[] = {
	[M_NAV] = { "Halaman daftar", "Pages of the list" },
	[M_STATUS] = { "Halaman %s dari %s", "Page %s of %s" },
	[M_PREV] = { "Sebelumnya", "Previous" },
	[M_NEXT] = { "Berikutnya", "Next" },
	[M_PAGE_N] = { "Halaman %s", "Page %s" },
	[M_FIRST] = { "Halaman pertama", "First page" },
};
const size_t idp_pager_nmsgs = M_COUNT;

void
idp_pager_init(struct idp_pager *p, const char *page_param, int64_t per_page,
    int64_t total)
{
	int64_t page = 1;

	if (per_page < 1)
		per_page = 1;
	if (per_page > 1000)
		per_page = 1000;
	if (total < 0)
		total = 0;
	p->per_page = per_page;
	p->total = total;
	p->pages = total / per_page + (total % per_page != 0);
	if (p->pages < 1)
		p->pages = 1;
	if (page_param == NULL ||
	    idp_parse_i64(page_param, 1, INT64_MAX, &page) != 0)
		page = 1;
	p->page = page > p->pages ? p->pages : page;
	p->offset = (p->page - 1) * per_page;
}

size_t
idp_pager_window(const struct idp_pager *p, int64_t out[IDP_PAGER_WINDOW])
{
	int64_t lo, hi;
	size_t n = 0;

	if (p->pages <= IDP_PAGER_WINDOW) {
		for (int64_t i = 1; i <= p->pages; i++)
			out[n++] = i;
		return n;
	}
	lo = p->page - 1 < 2 ? 2 : p->page - 1;
	hi = p->page + 1 > p->pages - 1 ? p->pages - 1 : p->page + 1;
	out[n++] = 1;
	if (lo > 2)
		out[n++] = 0;
	for (int64_t i = lo; i <= hi; i++)
		out[n++] = i;
	if (hi < p->pages - 1)
		out[n++] = 0;
	out[n++] = p->pages;
	return n;
}

/* <li><a href rel, left open for what the link carries. */
static void
link_open(struct idp_page *pg, const char *href, const char *rel)
{
	idp_page_raw(pg, "<li><a href=\"");
	idp_page_text(pg, href);
	idp_page_raw(pg, "\"");
	if (rel != NULL) {
		idp_page_raw(pg, " rel=\"");
		idp_page_raw(pg, rel);
		idp_page_raw(pg, "\"");
	}
}

static void
page_link(struct idp_page *pg, const char *base, int64_t n, const char *rel,
    const struct idp_msg *text, bool current)
{
	char num[24];
	const char *href;

	snprintf(num, sizeof(num), "%lld", (long long)n);
	href = idp_arena_printf(pg->rq->arena, "%s%cpage=%s", base,
	    strchr(base, '?') ? '&' : '?', num);
	link_open(pg, href, rel);
	if (rel != NULL) {
		idp_page_raw(pg, ">");
		idp_page_t(pg, text, NULL);
	} else {
		idp_page_raw(pg, current ? " aria-current=\"page\"" : "");
		idp_page_raw(pg, " aria-label=\"");
		idp_page_t(pg, &idp_pager_msgs[M_PAGE_N], idp_page_num(pg, n));
		idp_page_raw(pg, "\">");
		idp_page_text(pg, idp_page_num(pg, n));
	}
	idp_page_raw(pg, "</a></li>");
}

void
idp_page_pager(struct idp_page *pg, const struct idp_pager *p,
    const char *base)
{
	int64_t w[IDP_PAGER_WINDOW];
	size_t n = idp_pager_window(p, w);

	if (p->pages <= 1)
		return;
	idp_page_raw(pg, "<nav class=\"pager\" aria-label=\"");
	idp_page_t(pg, &idp_pager_msgs[M_NAV], NULL);
	idp_page_raw(pg, "\"><p>");
	idp_page_t2(pg, &idp_pager_msgs[M_STATUS], idp_page_num(pg, p->page),
	    idp_page_num(pg, p->pages));
	idp_page_raw(pg, "</p><ul>");
	if (p->page > 1)
		page_link(pg, base, p->page - 1, "prev",
		    &idp_pager_msgs[M_PREV], false);
	for (size_t i = 0; i < n; i++) {
		if (w[i] == 0)
			idp_page_raw(pg, "<li class=\"gap\">\xe2\x80\xa6</li>");
		else
			page_link(pg, base, w[i], NULL, NULL, w[i] == p->page);
	}
	if (p->page < p->pages)
		page_link(pg, base, p->page + 1, "next",
		    &idp_pager_msgs[M_NEXT], false);
	idp_page_raw(pg, "</ul></nav>");
}

static void
keyset_link(struct idp_page *pg, const char *base, const char *param,
    long long id, const char *rel, int msg)
{
	const char *href = id > 0 ? idp_arena_printf(pg->rq->arena,
	    "%s%c%s=%lld", base, strchr(base, '?') ? '&' : '?', param, id) :
	    base;

	link_open(pg, href, rel);
	idp_page_raw(pg, ">");
	idp_page_t(pg, &idp_pager_msgs[msg], NULL);
	idp_page_raw(pg, "</a></li>");
}

void
idp_page_pager_keyset(struct idp_page *pg, const char *base, bool first,
    long long before, long long after)
{
	if (!first && before <= 0 && after <= 0)
		return;
	idp_page_raw(pg, "<nav class=\"pager\" aria-label=\"");
	idp_page_t(pg, &idp_pager_msgs[M_NAV], NULL);
	idp_page_raw(pg, "\"><ul>");
	if (first)
		keyset_link(pg, base, NULL, 0, NULL, M_FIRST);
	if (before > 0)
		keyset_link(pg, base, "before", before, "prev", M_PREV);
	if (after > 0)
		keyset_link(pg, base, "after", after, "next", M_NEXT);
	idp_page_raw(pg, "</ul></nav>");
}
