/* A request as http/server.c builds one, without a server: for the page
 * toolkit's tests, which render whole pages into a struct idp_resp. */
#ifndef IDP_TESTS_PAGE_REQ_H
#define IDP_TESTS_PAGE_REQ_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "core/ctx.h"
#include "http/req.h"
#include "page/when.h"

struct page_req {
	struct idp_arena *arena;
	struct idp_config cfg;
	struct idp_ctx ctx;
	struct idp_req rq;
	struct idp_resp rs;
};

/* 14 March 2025, 00:05 UTC: 08:05 in Bali. */
#define PAGE_REQ_NOW 1741910700

static inline void
page_req_init(struct page_req *p, enum idp_method m, const char *path)
{
	memset(p, 0, sizeof(*p));
	p->arena = idp_arena_new(4096);
	p->cfg.provider_name = (char *)(uintptr_t)"SSO Provinsi Bali";
	p->cfg.helpdesk_name = (char *)(uintptr_t)"Helpdesk SSO";
	p->cfg.helpdesk_phone = (char *)(uintptr_t)"(0361) 222-333";
	p->cfg.helpdesk_email = (char *)(uintptr_t)"helpdesk@baliprov.go.id";
	p->cfg.default_locale = (char *)(uintptr_t)"id";
	p->ctx.cfg = &p->cfg;
	p->rq.arena = p->arena;
	p->rq.ctx = &p->ctx;
	p->rq.method = m;
	p->rq.path = path;
	p->rq.now = PAGE_REQ_NOW;
	snprintf(p->rq.id, sizeof(p->rq.id), "00c0ffee00000001");
	idp_when_use_zone("Asia/Makassar");
}

static inline void
page_req_kv(struct idp_kv *kv, size_t *n, const char *k, const char *v)
{
	kv[*n].key = k;
	kv[*n].val = v;
	kv[*n].len = strlen(v);
	(*n)++;
}

static inline void
page_req_free(struct page_req *p)
{
	idp_arena_free(p->arena);
	p->arena = NULL;
}

/* The response's header name, or NULL. */
static inline const char *
page_resp_header(const struct idp_resp *rs, const char *name)
{
	for (size_t i = 0; i < rs->nheaders; i++)
		if (!strcmp(rs->headers[i].key, name))
			return rs->headers[i].val;
	return NULL;
}

#endif
