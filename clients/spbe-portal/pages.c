#include <string.h>

#include "pages.h"
#include "util.h"

#define PAGE_MAX	(256 * 1024)

const char page_css[] =
    ":root{--ink:#1d2733;--muted:#5b6776;--line:#dde3ea;--brand:#0b5d8c;"
    "--brand-dark:#084666;--mine:#fff4cc;--bg:#f4f6f9}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',"
    "Roboto,sans-serif;color:var(--ink);background:var(--bg)}\n"
    "header{background:var(--brand);color:#fff;padding:1rem 1.5rem}\n"
    "header h1{margin:0;font-size:1.25rem;font-weight:600}\n"
    "header p{margin:.2rem 0 0;opacity:.85;font-size:.9rem}\n"
    "main{max-width:60rem;margin:1.5rem auto;padding:0 1rem}\n"
    ".card{background:#fff;border:1px solid var(--line);border-radius:8px;"
    "padding:1.25rem 1.5rem;margin-bottom:1.25rem}\n"
    ".card h2{margin-top:0;font-size:1.15rem}\n"
    "dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem;"
    "margin:0}\n"
    "dt{color:var(--muted)}dd{margin:0}\n"
    ".btn{display:inline-block;background:var(--brand);color:#fff;"
    "border:0;border-radius:6px;padding:.6rem 1.2rem;font:inherit;"
    "font-weight:600;text-decoration:none;cursor:pointer}\n"
    ".btn:hover,.btn:focus{background:var(--brand-dark)}\n"
    ".btn.secondary{background:#fff;color:var(--brand);"
    "border:1px solid var(--brand)}\n"
    ".row{display:flex;justify-content:space-between;align-items:center;"
    "gap:1rem;flex-wrap:wrap}\n"
    "table{width:100%;border-collapse:collapse;background:#fff}\n"
    "caption{text-align:left;font-weight:600;padding:.5rem 0}\n"
    "th,td{padding:.5rem .6rem;border-bottom:1px solid var(--line);"
    "text-align:left}\n"
    "td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    "thead th{font-size:.85rem;color:var(--muted);font-weight:600}\n"
    "tr.mine{background:var(--mine);font-weight:600}\n"
    ".tag{display:inline-block;border-radius:999px;padding:0 .6rem;"
    "font-size:.8rem;font-weight:600;white-space:nowrap}\n"
    ".p-memuaskan{background:#d9f2e3;color:#135c32}\n"
    ".p-sangat-baik{background:#dcebf7;color:#0b4a73}\n"
    ".p-baik{background:#e8eef3;color:#2f4355}\n"
    ".p-cukup{background:#fdf0d5;color:#7a5000}\n"
    ".p-kurang{background:#fbe0de;color:#8a1c12}\n"
    ".you{background:var(--brand);color:#fff;margin-left:.4rem}\n"
    ".note{color:var(--muted);font-size:.9rem}\n"
    ".error h2{color:#8a1c12}\n";

static void
page_head(struct buf *b, const char *title)
{
	buf_puts(b, "<!DOCTYPE html>\n<html lang=\"id\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<title>");
	buf_html(b, title);
	buf_puts(b, " &middot; Portal Evaluasi SPBE</title>\n"
	    "<link rel=\"stylesheet\" href=\"/style.css\">\n</head>\n<body>\n"
	    "<header><h1>Portal Evaluasi SPBE Provinsi Bali</h1>"
	    "<p>Indeks Sistem Pemerintahan Berbasis Elektronik 2023</p>"
	    "</header>\n<main>\n");
}

static char *
page_end(struct buf *b)
{
	buf_puts(b, "</main>\n</body>\n</html>\n");
	return buf_steal(b);
}

char *
page_signed_out(void)
{
	struct buf b;

	buf_init(&b, PAGE_MAX);
	page_head(&b, "Beranda");
	buf_puts(&b, "<section class=\"card\">\n"
	    "<h2>Selamat datang</h2>\n"
	    "<p>Portal ini menampilkan hasil evaluasi SPBE 2023 Pemerintah "
	    "Provinsi Bali dan sembilan kabupaten/kota di Bali, lengkap dengan "
	    "predikatnya. Masuk dengan akun SSO Provinsi Bali Anda untuk "
	    "melihat tabel indeks dan posisi instansi Anda.</p>\n"
	    "<p><a class=\"btn\" href=\"/login\">Masuk dengan SSO Provinsi "
	    "Bali</a></p>\n"
	    "</section>\n");
	return page_end(&b);
}

/* "4,07": an index in hundredths, with the Indonesian decimal comma. */
static void
put_indeks(struct buf *b, int v)
{
	buf_printf(b, "%d,%02d", v / 100, v % 100);
}

static const char *
claim(const json_t *o, const char *name)
{
	const char *v = json_string_value(json_object_get(o, name));

	return v != NULL && *v != '\0' ? v : NULL;
}

/* A <dt>/<dd> pair, left out when the claim is absent. */
static void
put_item(struct buf *b, const char *label, const char *value)
{
	if (value == NULL)
		return;
	buf_printf(b, "<dt>%s</dt><dd>", label);
	buf_html(b, value);
	buf_puts(b, "</dd>\n");
}

static const char *
kind_label(const char *kind)
{
	static const struct {
		const char	*kind;
		const char	*label;
	} kinds[] = {
		{ "province", "Pemerintah provinsi" },
		{ "provincial_agency", "Perangkat daerah provinsi" },
		{ "regency", "Pemerintah kabupaten" },
		{ "city", "Pemerintah kota" },
		{ "local_agency", "Perangkat daerah kabupaten/kota" },
		{ "desa_adat", "Desa adat" },
		{ "health_facility", "Fasilitas kesehatan" },
		{ "central_agency", "Instansi pusat/vertikal" },
	};
	size_t i;

	for (i = 0; kind != NULL && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			return kinds[i].label;
	return NULL;
}

static void
put_identity(struct buf *b, const json_t *c, const json_t *org)
{
	const char *name = claim(c, "name"), *label;

	buf_puts(b, "<section class=\"card\">\n<div class=\"row\"><h2>");
	buf_puts(b, "Selamat datang, ");
	buf_html(b, name ? name : claim(c, "preferred_username") ?
	    claim(c, "preferred_username") : "pengguna");
	buf_puts(b, "</h2>\n<form method=\"post\" action=\"/logout\">"
	    "<button class=\"btn secondary\" type=\"submit\">Keluar</button>"
	    "</form></div>\n<dl>\n");
	put_item(b, "Nama", name);
	put_item(b, "Nama pengguna", claim(c, "preferred_username"));
	put_item(b, "Email", claim(c, "email"));
	put_item(b, "NIP", claim(c, "nip"));
	put_item(b, "Jabatan", claim(c, "job_title"));
	put_item(b, "Instansi", claim(org, "name"));
	if ((label = kind_label(claim(org, "kind"))) != NULL)
		put_item(b, "Jenis instansi", label);
	buf_puts(b, "</dl>\n</section>\n");
}

/* The CSS class of a predikat's tag: "Sangat Baik" -> p-sangat-baik. */
static void
put_predikat(struct buf *b, const char *p)
{
	const char *c;

	buf_puts(b, "<span class=\"tag p-");
	for (c = p; *c != '\0'; c++) {
		if (*c >= 'A' && *c <= 'Z')
			buf_printf(b, "%c", *c - 'A' + 'a');
		else if (*c >= 'a' && *c <= 'z')
			buf_add(b, c, 1);
		else
			buf_puts(b, "-");
	}
	buf_puts(b, "\">");
	buf_html(b, p);
	buf_puts(b, "</span>");
}

static void
put_table(struct buf *b, const struct spbe_table *t, int mine)
{
	const struct spbe_row *r;
	size_t i;

	buf_puts(b, "<section class=\"card\">\n<table>\n"
	    "<caption>Indeks SPBE 2023 di Provinsi Bali</caption>\n"
	    "<thead><tr><th scope=\"col\">No.</th>"
	    "<th scope=\"col\">Instansi</th>"
	    "<th scope=\"col\">Indeks 2023</th>"
	    "<th scope=\"col\">Predikat 2023</th>"
	    "<th scope=\"col\">Indeks 2021</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < t->st_n; i++) {
		r = &t->st_rows[i];
		buf_puts(b, (int)i == mine ? "<tr class=\"mine\">" : "<tr>");
		buf_printf(b, "<td class=\"num\">%d</td><th scope=\"row\">",
		    r->sr_rank);
		buf_html(b, r->sr_instansi);
		if ((int)i == mine)
			buf_puts(b, "<span class=\"tag you\">Instansi Anda"
			    "</span>");
		buf_puts(b, "</th><td class=\"num\">");
		put_indeks(b, r->sr_indeks);
		buf_puts(b, "</td><td>");
		put_predikat(b, r->sr_predikat);
		buf_puts(b, "</td><td class=\"num\">");
		if (r->sr_indeks_2021 >= 0)
			put_indeks(b, r->sr_indeks_2021);
		else
			buf_puts(b, "&ndash;");
		buf_puts(b, "</td></tr>\n");
	}
	buf_puts(b, "</tbody>\n</table>\n");
	buf_puts(b, "<p class=\"note\">Predikat menurut indeks: ");
	buf_puts(b, "&ge; 4,20 Memuaskan; 3,50&ndash;4,19 Sangat Baik; "
	    "2,60&ndash;3,49 Baik; 1,80&ndash;2,59 Cukup; di bawah 1,80 "
	    "Kurang. Tanda &ndash;: indeks 2021 tidak tersedia di sumber.</p>\n"
	    "<p class=\"note\">Sumber: hasil evaluasi SPBE 2023 (8 aspek, 47 "
	    "indikator, 621 instansi dievaluasi secara nasional).</p>\n"
	    "</section>\n");
}

char *
page_home(const json_t *c, const struct spbe_table *t)
{
	const json_t *org = json_object_get(c, "organisation");
	struct spbe_org so;
	struct buf b;
	int mine;

	if (!json_is_object(org))
		org = NULL;
	so.so_kind = claim(org, "kind");
	so.so_code = claim(org, "code");
	so.so_name = claim(org, "name");
	so.so_parent = claim(org, "parent");
	mine = spbe_match(t, &so);

	buf_init(&b, PAGE_MAX);
	page_head(&b, "Beranda");
	put_identity(&b, c, org);
	buf_puts(&b, "<section class=\"card\"><p>");
	if (mine >= 0) {
		buf_puts(&b, "Baris instansi Anda, <strong>");
		buf_html(&b, t->st_rows[mine].sr_instansi);
		buf_puts(&b, "</strong>, disorot dalam tabel di bawah.");
	} else if (so.so_name != NULL) {
		buf_puts(&b, "Instansi Anda, <strong>");
		buf_html(&b, so.so_name);
		buf_puts(&b, "</strong>, tidak termasuk dalam tabel indeks "
		    "SPBE 2023 di bawah.");
	} else
		buf_puts(&b, "Akun Anda tidak menyertakan data instansi, jadi "
		    "instansi Anda tidak termasuk dalam tabel indeks SPBE "
		    "2023 di bawah.");
	buf_puts(&b, "</p></section>\n");
	put_table(&b, t, mine);
	return page_end(&b);
}

char *
page_message(const char *title, const char *message, const char *detail,
    bool offer_login)
{
	struct buf b;

	buf_init(&b, PAGE_MAX);
	page_head(&b, title);
	buf_puts(&b, "<section class=\"card error\">\n<h2>");
	buf_html(&b, title);
	buf_puts(&b, "</h2>\n<p>");
	buf_html(&b, message);
	buf_puts(&b, "</p>\n");
	if (detail != NULL) {
		buf_puts(&b, "<p class=\"note\">Keterangan dari penyedia SSO: ");
		buf_html(&b, detail);
		buf_puts(&b, "</p>\n");
	}
	if (offer_login)
		buf_puts(&b, "<p><a class=\"btn\" href=\"/login\">Masuk lagi"
		    "</a> <a class=\"btn secondary\" href=\"/\">Ke beranda</a>"
		    "</p>\n");
	else
		buf_puts(&b, "<p><a class=\"btn secondary\" href=\"/\">"
		    "Ke beranda</a></p>\n");
	buf_puts(&b, "</section>\n");
	return page_end(&b);
}
