/* core/mime, core/mail and the outbox's backoff: a message a mail client
 * reads (headers, multipart/alternative, base64 parts that decode back,
 * CRLF, RFC 5322 dates, encoded words split between characters), refusals
 * of header injection, the two templates in both languages without
 * tracking, and the retry waits. */
#include <string.h>
#include <time.h>

#include "config.h"
#include "core/mail.h"
#include "core/mime.h"
#include "core/outbox.h"
#include "core/outbox_health.h"
#include "crypto/b64url.h"
#include "page/when.h"
#include "unit.h"

static struct idp_arena *a;

static void setup(void) { a = idp_arena_new(8192); }
static void teardown(void) { idp_arena_free(a); }

static struct idp_mail
sample(void)
{
	struct idp_mail m = { "SSO Provinsi Bali", "sso@baliprov.go.id",
		"Ni Luh Putu", "luh@baliprov.go.id", "Atur ulang kata sandi",
		"Halo,\nbaris dua\n", "<p>Halo</p>", "id", 1741910700,
		"abc123@baliprov.go.id", "=_idp_b0undary" };

	return m;
}

/* The decoded body of the part after "Content-Type: type". */
static char *
part(const char *msg, const char *type)
{
	const char *p = strstr(msg, type), *body, *end;
	struct idp_buf b;
	unsigned char *out;
	size_t n;

	ck_assert_ptr_nonnull(p);
	body = strstr(p, "\r\n\r\n") + 4;
	end = strstr(body, "\r\n--") + 2;
	idp_buf_init(&b, a, 65536);
	for (const char *q = body; q < end; q++)
		if (*q != '\r' && *q != '\n')
			idp_buf_addc(&b, *q);
	out = idp_b64_decode(a, b.data, b.len, &n);
	ck_assert_ptr_nonnull(out);
	return (char *)out;
}

START_TEST(message_shape)
{
	struct idp_mail m = sample();
	char *msg = idp_mime_build(a, &m);

	ck_assert_ptr_nonnull(msg);
	ck_assert(strncmp(msg, "Date: Fri, 14 Mar 2025 08:05:00 +0800\r\n", 39)
	    == 0);
	ck_assert_ptr_nonnull(strstr(msg, "\r\nFrom: \"SSO Provinsi Bali\" "
	    "<sso@baliprov.go.id>\r\n"));
	ck_assert_ptr_nonnull(strstr(msg, "\r\nTo: \"Ni Luh Putu\" "
	    "<luh@baliprov.go.id>\r\n"));
	ck_assert_ptr_nonnull(strstr(msg, "\r\nSubject: Atur ulang kata "
	    "sandi\r\n"));
	ck_assert_ptr_nonnull(strstr(msg, "\r\nMessage-ID: "
	    "<abc123@baliprov.go.id>\r\n"));
	ck_assert_ptr_nonnull(strstr(msg, "\r\nMIME-Version: 1.0\r\n"));
	ck_assert_ptr_nonnull(strstr(msg, "\r\nAuto-Submitted: "
	    "auto-generated\r\n"));
	ck_assert_ptr_nonnull(strstr(msg, "Content-Type: multipart/alternative;"
	    " boundary=\"=_idp_b0undary\"\r\n\r\n--=_idp_b0undary\r\n"));
	ck_assert_str_eq(part(msg, "text/plain"), "Halo,\r\nbaris dua\r\n");
	ck_assert_str_eq(part(msg, "text/html"), "<p>Halo</p>");
	ck_assert_ptr_nonnull(strstr(msg, "\r\n--=_idp_b0undary--\r\n"));
	/* Every line ends in CRLF and is at most 78 characters. */
	for (const char *p = msg; *p; ) {
		const char *e = strstr(p, "\r\n");

		ck_assert_ptr_nonnull(e);
		ck_assert_int_le(e - p, 78);
		ck_assert_ptr_null(memchr(p, '\n', (size_t)(e - p)));
		p = e + 2;
	}
}
END_TEST

START_TEST(encoded_words)
{
	/* 30 two-byte characters: more than one word, never split inside. */
	char s[61 + 8];
	char *w, *p;

	for (int i = 0; i < 30; i++)
		memcpy(s + 2 * i, "\xc3\xa9", 2);
	s[60] = '\0';
	w = idp_mime_words(a, s);
	ck_assert_ptr_nonnull(w);
	ck_assert(strncmp(w, "=?UTF-8?B?", 10) == 0);
	ck_assert_ptr_nonnull(strstr(w, "?=\r\n =?UTF-8?B?"));
	for (p = w; p != NULL; p = strstr(p + 1, "=?UTF-8?B?")) {
		const char *e = strstr(p, "?=");
		size_t n;
		unsigned char *raw = idp_b64_decode(a, p + 10,
		    (size_t)(e - p - 10), &n);

		ck_assert_int_le(e + 2 - p, 75);
		ck_assert_ptr_nonnull(raw);
		ck_assert(n % 2 == 0);	/* whole characters */
	}
	ck_assert_str_eq(idp_mime_words(a, "Plain ASCII"), "Plain ASCII");
	/* "=?" in ASCII text would read as a word: encoded too. */
	ck_assert(strncmp(idp_mime_words(a, "a =?x?= b"), "=?UTF-8?B?", 10)
	    == 0);
	ck_assert_ptr_null(idp_mime_words(a, "a\r\nBcc: x@y.z"));
	ck_assert_ptr_null(idp_mime_words(a, "\xff"));
}
END_TEST

START_TEST(refusals)
{
	struct idp_mail m = sample();

	m.subject = "Hi\r\nBcc: evil@example.com";
	ck_assert_ptr_null(idp_mime_build(a, &m));
	m = sample();
	m.to_addr = "luh@baliprov.go.id>\r\nBcc: <evil@example.com";
	ck_assert_ptr_null(idp_mime_build(a, &m));
	m = sample();
	m.to_addr = "no-at-sign";
	ck_assert_ptr_null(idp_mime_build(a, &m));
	m = sample();
	m.to_name = "Ni \"Luh\"\n";
	ck_assert_ptr_null(idp_mime_build(a, &m));
	m = sample();
	m.boundary = "has space";
	ck_assert_ptr_null(idp_mime_build(a, &m));
	m = sample();
	m.text = "\xc3";
	ck_assert_ptr_null(idp_mime_build(a, &m));
	/* A name with quotes becomes encoded words, not a broken string. */
	m = sample();
	m.to_name = "Ni \"Luh\" Putu";
	ck_assert_ptr_nonnull(strstr(idp_mime_build(a, &m), "To: =?UTF-8?B?"));
	ck_assert(idp_mime_addr_ok("a.b+c@desa.id"));
	ck_assert(!idp_mime_addr_ok("a b@desa.id"));
	ck_assert(!idp_mime_addr_ok("a@b@desa.id"));
	ck_assert(!idp_mime_addr_ok("@desa.id"));
}
END_TEST

START_TEST(dates)
{
	char d[40];

	idp_mime_date(d, 0);
	ck_assert_str_eq(d, "Thu, 01 Jan 1970 08:00:00 +0800");
	idp_mime_date(d, 1741910700);
	ck_assert_str_eq(d, "Fri, 14 Mar 2025 08:05:00 +0800");
}
END_TEST

static struct idp_config cfg;
static struct idp_user person = { .id = 7, .username = "luh.sekar",
	.name = "Ni Luh Sekar", .email = "luh@baliprov.go.id", .locale = "id" };

static void
cfg_setup(void)
{
	char err[256];

	setup();
	ck_assert_int_eq(setenv("IDP_ISSUER", "https://sso.baliprov.go.id", 1),
	    0);
	ck_assert_int_eq(setenv("IDP_DATABASE_URL", "postgresql:///x", 1), 0);
	ck_assert_int_eq(setenv("IDP_MAIL_FROM", "sso@baliprov.go.id", 1), 0);
	ck_assert_int_eq(setenv("IDP_SMTP_URL", "smtp://127.0.0.1:25", 1), 0);
	ck_assert_int_eq(idp_config_load(NULL, &cfg, err, sizeof(err)), 0);
}

static void
cfg_teardown(void)
{
	idp_config_free(&cfg);
	teardown();
}

START_TEST(templates)
{
	struct idp_mail_vars v = { &person, "https://sso.baliprov.go.id/reset/"
		"new?token=abc", 1800, 1741910700 };
	char *id = idp_mail_compose(a, &cfg, IDP_MAIL_RESET_LINK, &v);
	char *en;

	ck_assert_ptr_nonnull(id);
	ck_assert_ptr_nonnull(strstr(id, "Subject: Atur ulang kata sandi SSO "
	    "Provinsi Bali\r\n"));
	ck_assert_ptr_nonnull(strstr(id, "Content-Language: id\r\n"));
	ck_assert_ptr_nonnull(strstr(part(id, "text/plain"), "berlaku 30 menit"));
	ck_assert_ptr_nonnull(strstr(part(id, "text/plain"),
	    "https://sso.baliprov.go.id/reset/new?token=abc"));
	ck_assert_ptr_null(strstr(part(id, "text/html"), "<img"));
	person.locale = "en";
	en = idp_mail_compose(a, &cfg, IDP_MAIL_PASSWORD_CHANGED, &v);
	person.locale = "id";
	ck_assert_ptr_nonnull(strstr(en, "Subject: Your SSO Provinsi Bali "
	    "password was changed\r\n"));
	ck_assert_ptr_nonnull(strstr(part(en, "text/plain"),
	    "14 March 2025, 08:05 WITA"));
	ck_assert(idp_mail_enabled(&cfg));
}
END_TEST

START_TEST(backoff)
{
	/* Half fixed, half random; doubling; capped. */
	ck_assert_int_eq(idp_outbox_backoff(1, 30, 3600, 0), 15);
	ck_assert_int_eq(idp_outbox_backoff(1, 30, 3600, 15), 30);
	ck_assert_int_eq(idp_outbox_backoff(2, 30, 3600, 0), 30);
	ck_assert_int_eq(idp_outbox_backoff(3, 30, 3600, 0), 60);
	ck_assert_int_eq(idp_outbox_backoff(30, 30, 3600, 0), 1800);
	ck_assert_int_eq(idp_outbox_backoff(30, 30, 3600, 1800), 3600);
	ck_assert_int_eq(idp_outbox_backoff(1000, 30, 3600, 4000000000u) <=
	    3600, 1);
	ck_assert_int_ge(idp_outbox_backoff(1, 1, 1, 0), 1);
}
END_TEST

/* The services a lane must not call for a while (core/outbox_health). */
START_TEST(health)
{
	struct idp_health h;
	struct idp_arena *ha = idp_arena_new(1024);
	int64_t w;
	const char *x = "http://rp.example/bcl", *y = "http://b\"q\\/bcl";

	idp_health_init(&h, 10, 40);
	ck_assert_int_eq(idp_health_check(&h, x, 0, &w), IDP_HEALTH_CALL);
	ck_assert_str_eq(idp_health_excluded(&h, ha), "{}");
	ck_assert_ptr_null(idp_health_next_probe(&h, 0));
	/* An answer from a service never down says nothing new. */
	ck_assert(!idp_health_report(&h, x, true, 0, 0));
	/* One call without an answer, then an answer: never down. */
	ck_assert(!idp_health_report(&h, x, false, 500, 0));
	ck_assert_int_eq(idp_health_check(&h, x, 600, &w), IDP_HEALTH_CALL);
	ck_assert_str_eq(idp_health_excluded(&h, ha), "{}");
	ck_assert(!idp_health_report(&h, x, true, 700, 0));
	/* Two in a row: down for the backoff of one failure, 5 to 10 s,
	 * its rows skipped by claims. */
	ck_assert(!idp_health_report(&h, x, false, 800, 0));
	ck_assert_int_eq(idp_health_check(&h, x, 900, &w), IDP_HEALTH_CALL);
	ck_assert(!idp_health_report(&h, x, false, 1000, 0));
	ck_assert_int_eq(idp_health_check(&h, x, 2000, &w), IDP_HEALTH_WAIT);
	ck_assert_int_eq(w, 4);
	ck_assert_str_eq(idp_health_excluded(&h, ha),
	    "{\"http://rp.example/bcl\"}");
	/* The other calls already in flight fail too: no longer wait. */
	ck_assert(!idp_health_report(&h, x, false, 1500, 0));
	ck_assert_ptr_null(idp_health_next_probe(&h, 5999));
	/* The wait over: one probe, and only one. */
	ck_assert_str_eq(idp_health_next_probe(&h, 6000), x);
	ck_assert_ptr_null(idp_health_next_probe(&h, 6000));
	ck_assert_int_eq(idp_health_check(&h, x, 6000, &w), IDP_HEALTH_WAIT);
	ck_assert_int_eq(w, 1);
	ck_assert_str_ne(idp_health_excluded(&h, ha), "{}");
	/* The probe fails: two failures, 10 to 20 s. */
	ck_assert(!idp_health_report(&h, x, false, 7000, 0));
	ck_assert_ptr_null(idp_health_next_probe(&h, 16999));
	ck_assert_str_eq(idp_health_next_probe(&h, 17000), x);
	/* Quotes and backslashes are escaped in the text[] literal. */
	ck_assert(!idp_health_report(&h, y, false, 17000, 0));
	ck_assert(!idp_health_report(&h, y, false, 17000, 0));
	ck_assert_str_eq(idp_health_excluded(&h, ha),
	    "{\"http://rp.example/bcl\",\"http://b\\\"q\\\\/bcl\"}");
	/* The probe answered: back, and its waiting rows may go. */
	ck_assert(idp_health_report(&h, x, true, 17100, 0));
	ck_assert_int_eq(idp_health_check(&h, x, 17100, &w), IDP_HEALTH_CALL);
	ck_assert(!idp_health_report(&h, x, true, 17200, 0));
	/* Never beyond the longest wait. */
	for (int i = 0; i < 20; i++) {
		(void)idp_health_next_probe(&h, 100000 + i * 50000);
		(void)idp_health_report(&h, y, false, 100000 + i * 50000,
		    4000000000u);
	}
	ck_assert_int_eq(idp_health_check(&h, y, 1050000, &w),
	    IDP_HEALTH_WAIT);
	ck_assert_int_le(w, 40);
	/* A probe with nothing to send: no longer tracked. */
	idp_health_forget(&h, y);
	ck_assert_int_eq(idp_health_check(&h, y, 1050000, &w),
	    IDP_HEALTH_CALL);
	/* A full table guards no more. */
	for (int i = 0; i < IDP_HEALTH_TARGETS + 4; i++) {
		char t[32];

		snprintf(t, sizeof(t), "http://s%d/", i);
		(void)idp_health_report(&h, t, false, 0, 0);
		(void)idp_health_report(&h, t, false, 0, 0);
	}
	ck_assert_int_eq(idp_health_check(&h, "http://s31/", 0, &w),
	    IDP_HEALTH_WAIT);
	ck_assert_int_eq(idp_health_check(&h, "http://s32/", 0, &w),
	    IDP_HEALTH_CALL);
	idp_health_free(&h);
	idp_arena_free(ha);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("core_mail");
	TCase *tc = unit_tcase(s, "mime");
	TCase *tm = unit_tcase(s, "templates");

	idp_when_use_zone("Asia/Makassar");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, message_shape);
	tcase_add_test(tc, encoded_words);
	tcase_add_test(tc, refusals);
	tcase_add_test(tc, dates);
	tcase_add_test(tc, backoff);
	tcase_add_test(tc, health);
	tcase_add_checked_fixture(tm, cfg_setup, cfg_teardown);
	tcase_add_test(tm, templates);
	return unit_run(s);
}
