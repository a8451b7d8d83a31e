/* The usage of a client on its portal page: sign-ins per day over the last
 * IDP_DEV_DAYS days as a bar chart drawn on the server (inline SVG with a
 * title and a description for screen readers, no script), the same days
 * as a table beside it with the token requests and errors, and the last
 * errors the token endpoint answered. */
#include <stdio.h>
#include <string.h>

#include "endpoint/developer.h"
#include "page/html.h"
#include "page/page.h"

enum {
	M_TITLE, M_TOTALS, M_CHART_TITLE, M_CHART_DESC, M_CHART_EMPTY,
	M_TABLE, M_COL_DAY, M_COL_SIGNINS, M_COL_TOKENS, M_COL_ERRORS,
	M_ERRORS_TITLE, M_NO_ERRORS, M_COL_WHEN, M_COL_ENDPOINT,
	M_COL_ERROR, M_COL_DESC, M_DELAY,
	M_COUNT
};

const struct idp_msg idp_usage_msgs[] = {
	[M_TITLE] = { "Pemakaian", "Usage" },
	[M_TOTALS] = { "Dalam 30 hari terakhir: %s kali masuk, %s permintaan "
	    "token.", "In the last 30 days: %s sign-ins, %s token requests." },
	[M_CHART_TITLE] = { "Jumlah masuk per hari, 30 hari terakhir",
	    "Sign-ins per day, last 30 days" },
	[M_CHART_DESC] = { "Diagram batang dari %s sampai %s; paling banyak "
	    "%s kali masuk dalam sehari. Angka tiap hari ada di tabel.",
	    "Bar chart from %s to %s; at most %s sign-ins in one day. The "
	    "figure of each day is in the table." },
	[M_CHART_EMPTY] = { "Belum ada yang masuk dalam 30 hari terakhir.",
	    "Nobody signed in during the last 30 days." },
	[M_TABLE] = { "Pemakaian per hari", "Usage per day" },
	[M_COL_DAY] = { "Tanggal", "Date" },
	[M_COL_SIGNINS] = { "Masuk", "Sign-ins" },
	[M_COL_TOKENS] = { "Permintaan token", "Token requests" },
	[M_COL_ERRORS] = { "Galat", "Errors" },
	[M_ERRORS_TITLE] = { "Galat terakhir", "Last errors" },
	[M_NO_ERRORS] = { "Tidak ada galat tercatat.",
	    "No error is recorded." },
	[M_COL_WHEN] = { "Waktu", "Time" },
	[M_COL_ENDPOINT] = { "Titik akhir", "Endpoint" },
	[M_COL_ERROR] = { "Kode", "Code" },
	[M_COL_DESC] = { "Keterangan yang diterima layanan",
	    "What the service was told" },
	[M_DELAY] = { "Angka dari server SSO lain dapat tertunda beberapa "
	    "detik.", "Figures from other SSO servers may lag a few seconds." },
};
const size_t idp_usage_nmsgs = M_COUNT;

#define M(k) (&idp_usage_msgs[k])

#define BAR 16
#define GAP 4
#define LEFT 40
#define TOP 10
#define HEIGHT 160

static void
rawf(struct idp_page *pg, const char *fmt, long long a, long long b,
    long long c, long long d)
{
	char s[160];

	snprintf(s, sizeof(s), fmt, a, b, c, d);
	idp_page_raw(pg, s);
}

static long long
most(const struct idp_usage_day *days)
{
	long long m = 0;

	for (int i = 0; i < IDP_DEV_DAYS; i++)
		if (days[i].signins > m)
			m = days[i].signins;
	return m;
}

/* Bars scaled to the busiest day, its figure on the axis, the first and
 * last day under it. Presentation attributes only: the CSP allows no
 * inline style. */
static void
chart(struct idp_page *pg, const struct idp_usage_day *days)
{
	long long max = most(days);
	int width = LEFT + IDP_DEV_DAYS * (BAR + GAP);

	idp_page_raw(pg, "<svg class=\"chart\" role=\"img\" "
	    "aria-labelledby=\"chart-title chart-desc\" ");
	rawf(pg, "viewBox=\"0 0 %lld %lld\" width=\"%lld\" height=\"%lld\">",
	    width, TOP + HEIGHT + 30, width, TOP + HEIGHT + 30);
	idp_page_raw(pg, "<title id=\"chart-title\">");
	idp_page_t(pg, M(M_CHART_TITLE), NULL);
	idp_page_raw(pg, "</title><desc id=\"chart-desc\">");
	if (max == 0)
		idp_page_t(pg, M(M_CHART_EMPTY), NULL);
	else {
		const char *args[3] = { days[0].day, days[IDP_DEV_DAYS - 1].day,
			idp_page_num(pg, max) };

		idp_html_msg(&pg->b, idp_page_str(pg, M(M_CHART_DESC)), args,
		    3);
	}
	idp_page_raw(pg, "</desc>");
	rawf(pg, "<line x1=\"%lld\" y1=\"%lld\" x2=\"%lld\" y2=\"%lld\" "
	    "stroke=\"#57606a\"/>", LEFT - 2, TOP + HEIGHT, width,
	    TOP + HEIGHT);
	rawf(pg, "<text x=\"%lld\" y=\"%lld\" font-size=\"12\" "
	    "text-anchor=\"end\" fill=\"#57606a\">%lld</text>", LEFT - 6,
	    TOP + 10, max, 0);
	for (int i = 0; i < IDP_DEV_DAYS; i++) {
		long long h = max > 0 ? days[i].signins * HEIGHT / max : 0;

		if (days[i].signins > 0 && h < 2)
			h = 2;
		rawf(pg, "<rect x=\"%lld\" y=\"%lld\" width=\"%lld\" "
		    "height=\"%lld\" fill=\"#0b5cad\"/>",
		    LEFT + i * (BAR + GAP), TOP + HEIGHT - h, BAR, h);
	}
	rawf(pg, "<text x=\"%lld\" y=\"%lld\" font-size=\"12\" "
	    "fill=\"#57606a\">", LEFT, TOP + HEIGHT + 20, 0, 0);
	idp_page_text(pg, days[0].day);
	rawf(pg, "</text><text x=\"%lld\" y=\"%lld\" font-size=\"12\" "
	    "text-anchor=\"end\" fill=\"#57606a\">", width, TOP + HEIGHT + 20,
	    0, 0);
	idp_page_text(pg, days[IDP_DEV_DAYS - 1].day);
	idp_page_raw(pg, "</text></svg>");
}

static void
days_table(struct idp_page *pg, const struct idp_usage_day *days)
{
	static const struct idp_msg *const cols[] = { M(M_COL_DAY),
		M(M_COL_SIGNINS), M(M_COL_TOKENS), M(M_COL_ERRORS) };

	idp_page_table_begin(pg, "usage-days", M(M_TABLE), cols, 4);
	for (int i = IDP_DEV_DAYS - 1; i >= 0; i--) {
		idp_page_row_begin(pg);
		idp_page_raw(pg, "<td><time datetime=\"");
		idp_page_text(pg, days[i].day);
		idp_page_raw(pg, "\">");
		idp_page_text(pg, days[i].day);
		idp_page_raw(pg, "</time></td>");
		idp_page_cell(pg, idp_page_num(pg, days[i].signins));
		idp_page_cell(pg, idp_page_num(pg, days[i].tokens));
		idp_page_cell(pg, idp_page_num(pg, days[i].errors));
		idp_page_row_end(pg);
	}
	idp_page_table_end(pg);
}

static void
errors_table(struct idp_page *pg, const struct idp_dev_client *v)
{
	static const struct idp_msg *const cols[] = { M(M_COL_WHEN),
		M(M_COL_ENDPOINT), M(M_COL_ERROR), M(M_COL_DESC) };

	idp_page_heading(pg, 3, M(M_ERRORS_TITLE), NULL);
	if (v->nerrors == 0) {
		idp_page_para(pg, "muted", M(M_NO_ERRORS), NULL);
		return;
	}
	idp_page_table_begin(pg, "usage-errors", M(M_ERRORS_TITLE), cols, 4);
	for (int i = 0; i < v->nerrors; i++) {
		const struct idp_usage_error *e = &v->errors[i];

		idp_page_row_begin(pg);
		idp_page_cell_time(pg, e->at);
		idp_page_cell(pg, e->endpoint);
		idp_page_raw(pg, "<td><code>");
		idp_page_text(pg, e->error);
		idp_page_raw(pg, "</code></td><td lang=\"en\">");
		idp_page_text(pg, e->description);
		idp_page_raw(pg, "</td>");
		idp_page_row_end(pg);
	}
	idp_page_table_end(pg);
}

void
idp_devpage_usage(struct idp_page *pg, const struct idp_dev_client *v)
{
	long long signins = 0, tokens = 0;

	for (int i = 0; i < IDP_DEV_DAYS; i++) {
		signins += v->days[i].signins;
		tokens += v->days[i].tokens;
	}
	idp_page_raw(pg, "<section class=\"item\" aria-labelledby=\"usage\">"
	    "<h2 id=\"usage\">");
	idp_page_t(pg, M(M_TITLE), NULL);
	idp_page_raw(pg, "</h2><p>");
	idp_page_t2(pg, M(M_TOTALS), idp_page_num(pg, signins),
	    idp_page_num(pg, tokens));
	idp_page_raw(pg, "</p><div class=\"usage\"><div>");
	chart(pg, v->days);
	idp_page_raw(pg, "</div><div>");
	days_table(pg, v->days);
	idp_page_raw(pg, "</div></div>");
	idp_page_para(pg, "muted", M(M_DELAY), NULL);
	errors_table(pg, v);
	idp_page_raw(pg, "</section>");
}
