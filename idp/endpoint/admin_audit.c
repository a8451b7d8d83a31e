/* The console's audit log (filters by person, service, event and time,
 * CSV export) and the SPBE evidence report (services integrated through
 * the SSO, people per kind of organisation, sign-ins per day as an SVG
 * chart with a table beside it; CSV export). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "core/ctx.h"
#include "endpoint/admin.h"
#include "http/response.h"
#include "page/form.h"
#include "store/audit.h"
#include "store/console.h"
#include "store/directory.h"
#include "util/buf.h"
#include "util/str.h"

#define AUDIT_PAGE 50
#define AUDIT_CSV_MAX 10000
#define REPORT_DAYS 30
#define CSV_MAX (8 * 1024 * 1024)

/* A CSV field (RFC 4180): quoted when it must be; a leading = + - @ gets
 * an apostrophe, so a spreadsheet does not run it as a formula. */
static void
csv_field(struct idp_buf *b, const char *s, bool last)
{
	if (s == NULL)
		s = "";
	if (strpbrk(s, ",\"\r\n") != NULL || strchr("=+-@", *s) != NULL) {
		idp_buf_addc(b, '"');
		if (*s != '\0' && strchr("=+-@", *s) != NULL)
			idp_buf_addc(b, '\'');
		for (; *s; s++) {
			if (*s == '"')
				idp_buf_addc(b, '"');
			idp_buf_addc(b, *s);
		}
		idp_buf_addc(b, '"');
	} else {
		idp_buf_adds(b, s);
	}
	idp_buf_adds(b, last ? "\r\n" : ",");
}

static enum idp_err
send_csv(struct admin *ad, struct idp_buf *b, const char *name)
{
	if (b->overflow)
		return idp_fail(ad->rs, IDP_ERR_TOO_LARGE,
		    "The export is too large; narrow the filter.");
	idp_resp_body(ad->rs, 200, "text/csv; charset=utf-8", b->data, b->len);
	idp_resp_header(ad->rs, "Content-Disposition", idp_arena_printf(
	    ad->rq->arena, "attachment; filename=\"%s\"", name));
	idp_resp_common_headers(ad->rs, false);
	idp_resp_no_store(ad->rs);
	return IDP_OK;
}

static const char *
iso(struct admin *ad, int64_t t)
{
	char buf[40];
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return idp_arena_strdup(ad->rq->arena, buf);
}

/* ---- Audit ---- */

struct audit_q {
	const char *user, *client, *event, *since, *until;
	struct idp_audit_filter f;
	const char *bad;	/* the parameter that could not be read */
};

static const char *
nonempty(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

static enum idp_err
read_filter(struct admin *ad, struct audit_q *q)
{
	struct idp_req *rq = ad->rq;
	struct idp_user *u = NULL;
	int64_t v;
	enum idp_err rc;

	q->user = nonempty(idp_req_query(rq, "user"));
	q->client = nonempty(idp_req_query(rq, "client"));
	q->event = nonempty(idp_req_query(rq, "event"));
	q->since = nonempty(idp_req_query(rq, "since"));
	q->until = nonempty(idp_req_query(rq, "until"));
	q->f.client_id = q->client;
	if (q->client != NULL && strlen(q->client) > 128)
		q->bad = "client";
	if (q->event != NULL && !idp_audit_event_ok(q->event))
		q->bad = "event";
	else
		q->f.event = q->event;
	if (q->since != NULL && idp_parse_time(q->since, &q->f.since) != 0)
		q->bad = "since";
	if (q->until != NULL && idp_parse_time(q->until, &q->f.until) != 0)
		q->bad = "until";
	if (idp_req_query(rq, "before") != NULL) {
		if (idp_parse_i64(idp_req_query(rq, "before"), 1, INT64_MAX,
		    &v) != 0)
			q->bad = "before";
		else
			q->f.before_id = v;
	}
	if (q->user != NULL && q->bad == NULL) {
		rc = idp_store_user_by_username(ad->db, rq->arena, q->user, &u);
		if (rc == IDP_ERR_NOT_FOUND || (rc == IDP_ERR_INVALID_REQUEST))
			q->bad = "user";
		else if (rc != IDP_OK)
			return rc;
		else
			q->f.user_id = u->id;
	}
	return IDP_OK;
}

static void
filter_form(struct idp_page *pg, const struct audit_q *q)
{
	struct idp_field f = { .type = "text", .maxlength = 128,
		.autocomplete = "off" };

	idp_page_raw(pg, "<form method=\"get\" action=\"/admin/audit\">");
	f.name = "user"; f.label = AM(AM_USERNAME); f.value = q->user;
	idp_form_field(pg, &f);
	f.name = "client"; f.label = AM(AM_SERVICE); f.value = q->client;
	idp_form_field(pg, &f);
	f.name = "event"; f.label = AM(AM_EVENT); f.value = q->event;
	idp_form_field(pg, &f);
	f.hint = AM(AM_TIME_HINT);
	f.name = "since"; f.label = AM(AM_SINCE); f.value = q->since;
	idp_form_field(pg, &f);
	f.name = "until"; f.label = AM(AM_UNTIL); f.value = q->until;
	idp_form_field(pg, &f);
	idp_form_button(pg, NULL, NULL, NULL, AM(AM_FILTER));
	idp_form_button(pg, "secondary", "format", "csv", AM(AM_CSV));
	idp_page_raw(pg, "</form>");
}

static enum idp_err
audit_csv(struct admin *ad, struct audit_q *q)
{
	struct idp_audit_row *w = NULL;
	struct idp_buf b;
	enum idp_err rc;
	int n = 0;

	q->f.limit = AUDIT_CSV_MAX;
	if ((rc = idp_store_audit_list(ad->db, ad->rq->arena, &q->f, &w, &n))
	    != IDP_OK)
		return rc;
	idp_buf_init(&b, ad->rq->arena, CSV_MAX);
	idp_buf_adds(&b, "id,at,event,username,client_id,ip,actor,details\r\n");
	for (int i = 0; i < n; i++) {
		char id[24];

		snprintf(id, sizeof(id), "%lld", w[i].id);
		csv_field(&b, id, false);
		csv_field(&b, iso(ad, w[i].at), false);
		csv_field(&b, w[i].event, false);
		csv_field(&b, w[i].username, false);
		csv_field(&b, w[i].client_id, false);
		csv_field(&b, w[i].ip, false);
		csv_field(&b, w[i].actor, false);
		csv_field(&b, w[i].details, true);
	}
	idp_admin_audit(ad, "audit.exported", 0, NULL, json_pack("{s:i}",
	    "rows", n));
	return send_csv(ad, &b, "audit.csv");
}

static void
older_link(struct admin *ad, struct idp_page *pg, const struct audit_q *q,
    long long last_id)
{
	const char *keys[] = { "user", "client", "event", "since", "until" };
	const char *vals[] = { q->user, q->client, q->event, q->since,
		q->until };
	struct idp_buf b;

	idp_buf_init(&b, ad->rq->arena, 2048);
	idp_buf_addf(&b, "/admin/audit?before=%lld", last_id);
	for (size_t i = 0; i < 5; i++) {
		if (vals[i] == NULL)
			continue;
		idp_buf_addf(&b, "&%s=", keys[i]);
		idp_buf_add_urlenc(&b, vals[i]);
	}
	idp_page_raw(pg, "<p>");
	idp_page_link(pg, NULL, b.data, AM(AM_OLDER), NULL);
	idp_page_raw(pg, "</p>");
}

enum idp_err
idp_admin_audit_page(struct admin *ad)
{
	static const struct idp_msg *const cols[] = { AM(AM_WHEN),
		AM(AM_EVENT), AM(AM_USERNAME), AM(AM_SERVICE), AM(AM_ACTOR),
		AM(AM_DETAILS) };
	struct audit_q q = { .f.limit = AUDIT_PAGE };
	struct idp_audit_row *w = NULL;
	const char *format = idp_req_query(ad->rq, "format");
	struct idp_page pg;
	enum idp_err rc;
	int n = 0;

	if (ad->rq->method != IDP_GET)
		return idp_fail(ad->rs, IDP_ERR_METHOD, "GET only.");
	if ((rc = read_filter(ad, &q)) != IDP_OK)
		return rc;
	if (format != NULL && strcmp(format, "csv") != 0)
		q.bad = "format";
	if (q.bad == NULL && format != NULL)
		return audit_csv(ad, &q);
	if (q.bad == NULL && (rc = idp_store_audit_list(ad->db, ad->rq->arena,
	    &q.f, &w, &n)) != IDP_OK)
		return rc;
	idp_admin_page(ad, &pg, AM(AM_AUDIT), NULL);
	if (q.bad != NULL)
		idp_page_para(&pg, "field-error", AM(AM_BAD_FILTER), q.bad);
	filter_form(&pg, &q);
	idp_page_table_begin(&pg, "audit", AM(AM_AUDIT), cols, 6);
	for (int i = 0; i < n; i++) {
		idp_page_row_begin(&pg);
		idp_page_cell_time(&pg, w[i].at);
		idp_page_cell(&pg, w[i].event);
		idp_page_cell(&pg, w[i].username ? w[i].username : "-");
		idp_page_cell(&pg, w[i].client_id ? w[i].client_id : "-");
		idp_page_cell(&pg, w[i].actor ? w[i].actor : "-");
		idp_page_cell(&pg, w[i].details);
		idp_page_row_end(&pg);
	}
	idp_page_table_end(&pg);
	if (n == AUDIT_PAGE)
		older_link(ad, &pg, &q, w[n - 1].id);
	return idp_page_send(&pg, q.bad != NULL ? 400 : 200);
}

/* ---- The SPBE report ---- */

static const struct {
	const char *group;
	int msg;
} groups[] = {
	{ "provincial", AM_G_PROVINCIAL }, { "regencies_cities", AM_G_REGENCIES },
	{ "desa_adat", AM_G_DESA }, { "health_facilities", AM_G_HEALTH },
	{ "central_agencies", AM_G_CENTRAL }, { "none", AM_G_NONE },
};

static const struct idp_msg *
group_msg(const char *g)
{
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (!strcmp(groups[i].group, g))
			return AM(groups[i].msg);
	return AM(AM_G_NONE);
}

/* Sign-ins per day, in hundredths (two decimals without floats). */
static const char *
per_day(struct idp_page *pg, long long n, int days)
{
	long long h = (n * 100 + days / 2) / days;

	return idp_arena_printf(pg->rq->arena, "%lld%s%02lld", h / 100,
	    strcmp(pg->lang, "id") == 0 ? "," : ".", h % 100);
}

static const char *
share(struct idp_page *pg, long long part, long long whole)
{
	return whole == 0 ? "-" : idp_arena_printf(pg->rq->arena, "%lld%%",
	    (part * 100 + whole / 2) / whole);
}

/* The bar chart: role="img" with its title and description; the numbers
 * are the table that follows it. */
static void
chart(struct idp_page *pg, const struct idp_spbe *s)
{
	long long max = 1;
	char buf[160];
	int w = 600, h = 200;

	for (int i = 0; i < s->ndays; i++)
		if (s->days[i].signins > max)
			max = s->days[i].signins;
	snprintf(buf, sizeof(buf), "<figure><svg xmlns=\"http://www.w3.org/"
	    "2000/svg\" viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\" "
	    "aria-labelledby=\"chart-t chart-d\">", w, h + 20);
	idp_page_raw(pg, buf);
	idp_page_raw(pg, "<title id=\"chart-t\">");
	idp_page_t(pg, AM(AM_CHART_TITLE), NULL);
	idp_page_raw(pg, "</title><desc id=\"chart-d\">");
	idp_page_t(pg, AM(AM_CHART_DESC), "30");
	idp_page_raw(pg, "</desc>");
	for (int i = 0; i < s->ndays; i++) {
		int bw = w / (s->ndays ? s->ndays : 1);
		int bh = (int)(s->days[i].signins * h / max);

		snprintf(buf, sizeof(buf), "<rect x=\"%d\" y=\"%d\" width=\"%d\""
		    " height=\"%d\" fill=\"#1d4f91\"/>", i * bw + 1, h - bh,
		    bw > 2 ? bw - 2 : 1, bh);
		idp_page_raw(pg, buf);
	}
	snprintf(buf, sizeof(buf), "<line x1=\"0\" y1=\"%d\" x2=\"%d\" "
	    "y2=\"%d\" stroke=\"#333\"/></svg>", h, w, h);
	idp_page_raw(pg, buf);
	idp_page_raw(pg, "<figcaption>");
	idp_page_t(pg, AM(AM_CHART_TITLE), NULL);
	idp_page_raw(pg, "</figcaption></figure>");
}

static void
report_tables(struct idp_page *pg, const struct idp_spbe *s)
{
	static const struct idp_msg *const scols[] = { AM(AM_SERVICE),
		AM(AM_OWNER), AM(AM_INTEGRATED), AM(AM_ACTIVE_30),
		AM(AM_SIGNINS_30), AM(AM_SIGNINS_DAY), AM(AM_SECOND_SHARE) };
	static const struct idp_msg *const kcols[] = { AM(AM_GROUP),
		AM(AM_PEOPLE_COUNT), AM(AM_ACTIVE_30) };
	static const struct idp_msg *const dcols[] = { AM(AM_DAY),
		AM(AM_SIGNINS) };

	idp_page_table_begin(pg, "services", AM(AM_CLIENTS), scols, 7);
	for (int i = 0; i < s->nsvc; i++) {
		const struct idp_spbe_service *v = &s->svc[i];

		idp_page_row_begin(pg);
		idp_page_cell(pg, v->name);
		idp_page_cell(pg, v->owner ? v->owner : "-");
		idp_page_cell_time(pg, v->integrated_at);
		idp_page_cell(pg, idp_page_num(pg, v->active_people));
		idp_page_cell(pg, idp_page_num(pg, v->signins));
		idp_page_cell(pg, per_day(pg, v->signins, REPORT_DAYS));
		idp_page_cell(pg, share(pg, v->second_factor, v->signins));
		idp_page_row_end(pg);
	}
	idp_page_table_end(pg);
	idp_page_table_begin(pg, "kinds", AM(AM_KINDS), kcols, 3);
	for (int i = 0; i < s->nkinds; i++) {
		idp_page_row_begin(pg);
		idp_page_cell(pg, idp_page_str(pg, group_msg(s->kinds[i].group)));
		idp_page_cell(pg, idp_page_num(pg, s->kinds[i].people));
		idp_page_cell(pg, idp_page_num(pg, s->kinds[i].active_people));
		idp_page_row_end(pg);
	}
	idp_page_table_end(pg);
	chart(pg, s);
	idp_page_table_begin(pg, "days", AM(AM_SIGNINS_DAY), dcols, 2);
	for (int i = 0; i < s->ndays; i++) {
		idp_page_row_begin(pg);
		idp_page_cell_time(pg, s->days[i].day);
		idp_page_cell(pg, idp_page_num(pg, s->days[i].signins));
		idp_page_row_end(pg);
	}
	idp_page_table_end(pg);
}

static enum idp_err
report_csv(struct admin *ad, const struct idp_spbe *s)
{
	struct idp_buf b;
	char n[3][24];

	idp_buf_init(&b, ad->rq->arena, CSV_MAX);
	idp_buf_adds(&b, "client_id,name,owner,integrated_at,active_people_30d,"
	    "signins_30d,second_factor_signins_30d\r\n");
	for (int i = 0; i < s->nsvc; i++) {
		const struct idp_spbe_service *v = &s->svc[i];

		snprintf(n[0], 24, "%lld", v->active_people);
		snprintf(n[1], 24, "%lld", v->signins);
		snprintf(n[2], 24, "%lld", v->second_factor);
		csv_field(&b, v->client_id, false);
		csv_field(&b, v->name, false);
		csv_field(&b, v->owner, false);
		csv_field(&b, iso(ad, v->integrated_at), false);
		csv_field(&b, n[0], false);
		csv_field(&b, n[1], false);
		csv_field(&b, n[2], true);
	}
	return send_csv(ad, &b, "spbe-services.csv");
}

enum idp_err
idp_admin_report(struct admin *ad)
{
	const char *format = idp_req_query(ad->rq, "format");
	struct idp_spbe s;
	struct idp_page pg;
	enum idp_err rc;

	if (ad->rq->method != IDP_GET)
		return idp_fail(ad->rs, IDP_ERR_METHOD, "GET only.");
	if (format != NULL && strcmp(format, "csv") != 0)
		return idp_fail(ad->rs, IDP_ERR_INVALID_REQUEST,
		    "format must be csv.");
	if ((rc = idp_store_console_spbe(ad->db, ad->rq->arena, REPORT_DAYS,
	    ad->rq->ctx->cfg->time_zone, &s)) != IDP_OK)
		return rc;
	if (format != NULL)
		return report_csv(ad, &s);
	idp_admin_page(ad, &pg, AM(AM_REPORT), NULL);
	idp_page_para(&pg, NULL, AM(AM_REPORT_INTRO), "30");
	idp_page_para(&pg, NULL, AM(AM_SERVICES_N), idp_page_num(&pg, s.nsvc));
	idp_page_raw(&pg, "<p>");
	idp_page_link(&pg, "button", "/admin/report?format=csv", AM(AM_CSV),
	    NULL);
	idp_page_raw(&pg, "</p>");
	report_tables(&pg, &s);
	return idp_page_send(&pg, 200);
}
