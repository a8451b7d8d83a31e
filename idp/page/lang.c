#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "page/lang.h"

/* "id" for Indonesian (and "in", the code older Android versions still
 * send), "en" for English, by the primary subtag of a BCP 47 tag. */
static const char *
ours(const char *tag, size_t n)
{
	size_t p = 0;

	while (p < n && tag[p] != '-' && tag[p] != '_')
		p++;
	if (p != 2)
		return NULL;
	if (!strncasecmp(tag, "id", 2) || !strncasecmp(tag, "in", 2))
		return "id";
	if (!strncasecmp(tag, "en", 2))
		return "en";
	return NULL;
}

const char *
idp_lang_exact(const char *s)
{
	if (s == NULL)
		return NULL;
	if (!strcmp(s, "id"))
		return "id";
	if (!strcmp(s, "en"))
		return "en";
	return NULL;
}

const char *
idp_lang_from_list(const char *list)
{
	const char *p = list;

	while (p != NULL && *p != '\0') {
		size_t n;
		const char *l;

		while (*p == ' ')
			p++;
		n = strcspn(p, " ");
		if (n > 0 && (l = ours(p, n)) != NULL)
			return l;
		p += n;
	}
	return NULL;
}

/* A q-value (RFC 9110 §12.4.2) in thousandths, or -1 when malformed. */
static int
qvalue(const char *s, size_t n)
{
	int v;

	if (n == 0 || (s[0] != '0' && s[0] != '1'))
		return -1;
	v = (s[0] - '0') * 1000;
	if (n == 1)
		return v;
	if (s[1] != '.' || n > 5)
		return -1;
	for (size_t i = 2; i < n; i++) {
		int scale = i == 2 ? 100 : i == 3 ? 10 : 1;

		if (!isdigit((unsigned char)s[i]))
			return -1;
		v += (s[i] - '0') * scale;
	}
	return v > 1000 ? -1 : v;
}

static size_t
trimmed(const char *s, size_t n, const char **out)
{
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	*out = s;
	return n;
}

/* One element of a comma-separated header with ;q= (Accept,
 * Accept-Language): its value and weight. Returns false at the end. A
 * malformed q gives weight -1, which callers skip. */
static bool
next_weighted(const char **pp, const char **val, size_t *vlen, int *q)
{
	const char *p = *pp, *item, *semi;
	size_t n;

	while (*p == ',' || *p == ' ' || *p == '\t')
		p++;
	if (*p == '\0')
		return false;
	n = strcspn(p, ",");
	item = p;
	*pp = p + n;
	semi = memchr(item, ';', n);
	*vlen = trimmed(item, semi ? (size_t)(semi - item) : n, val);
	*q = 1000;
	while (semi != NULL) {
		const char *param = semi + 1, *pv;
		size_t rest = n - (size_t)(param - item), plen;

		semi = memchr(param, ';', rest);
		plen = trimmed(param, semi ? (size_t)(semi - param) : rest,
		    &pv);
		if (plen >= 2 && (pv[0] == 'q' || pv[0] == 'Q') && pv[1] == '=')
			*q = qvalue(pv + 2, plen - 2);
	}
	return true;
}

const char *
idp_lang_from_accept(const char *header)
{
	const char *p = header, *val, *best = NULL, *l;
	size_t n;
	int q, bestq = 0;

	while (p != NULL && next_weighted(&p, &val, &n, &q)) {
		if (q > bestq && (l = ours(val, n)) != NULL) {
			best = l;
			bestq = q;
		}
	}
	return best;
}

bool
idp_accept_wants_html(const char *accept)
{
	const char *p = accept, *val;
	size_t n;
	int q, html = 0, json = 0;

	while (p != NULL && next_weighted(&p, &val, &n, &q)) {
		if (q < 0)
			continue;
		if (n == 9 && !strncasecmp(val, "text/html", 9) && q > html)
			html = q;
		else if (n == 16 && !strncasecmp(val, "application/json", 16) &&
		    q > json)
			json = q;
	}
	return html > 0 && html >= json;
}

const char *
idp_lang_choose(const struct idp_lang_in *in, enum idp_lang_source *src)
{
	const char *l;
	enum idp_lang_source s;

	if ((l = idp_lang_exact(in->param)) != NULL)
		s = IDP_LANG_FROM_PARAM;
	else if ((l = idp_lang_from_list(in->ui_locales)) != NULL)
		s = IDP_LANG_FROM_UI_LOCALES;
	else if ((l = idp_lang_exact(in->cookie)) != NULL)
		s = IDP_LANG_FROM_COOKIE;
	else if ((l = idp_lang_from_accept(in->accept)) != NULL)
		s = IDP_LANG_FROM_ACCEPT;
	else {
		l = idp_lang_exact(in->fallback);
		if (l == NULL)
			l = "id";
		s = IDP_LANG_FROM_DEFAULT;
	}
	if (src != NULL)
		*src = s;
	return l;
}

const char *
idp_msg_get(const struct idp_msg *m, const char *lang)
{
	return lang != NULL && !strcmp(lang, "en") ? m->en : m->id;
}

static int
count_args(const char *s)
{
	int n = 0;

	for (const char *p = s; (p = strstr(p, "%s")) != NULL; p += 2)
		n++;
	return n;
}

size_t
idp_msgs_check(const struct idp_msg *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (m[i].id == NULL || m[i].en == NULL || !*m[i].id ||
		    !*m[i].en || count_args(m[i].id) != count_args(m[i].en))
			return i;
	}
	return n;
}
