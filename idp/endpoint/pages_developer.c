/* The developer portal's pages: the person's organisations and clients,
 * the registration form, one client with its forms, the secret shown
 * once, the questions before a secret is replaced or a client removed. */
#include <string.h>

#include "config.h"
#include "core/ctx.h"
#include "endpoint/developer.h"
#include "endpoint/developer_msgs.h"
#include "page/form.h"
#include "page/html.h"
#include "page/page.h"
#include "page/trouble.h"
#include "util/str.h"

const struct idp_msg idp_developer_msgs[] = {
	[M_HOME_TITLE] = { "Portal pengembang", "Developer portal" },
	[M_SIGNED_IN_AS] = { "Anda masuk sebagai %s.",
	    "You are signed in as %s." },
	[M_YOUR_ORGS] = { "Instansi tempat Anda menjadi pengembang",
	    "Organisations where you are a developer" },
	[M_ORG_CODE] = { "kode %s", "code %s" },
	[M_ORG_CODE_WHY] = { "Kode instansi adalah nilai owner_organisation "
	    "di manifes layanan dan organisation.code di klaim organisation.",
	    "The organisation code is the owner_organisation of a service "
	    "manifest and organisation.code in the organisation claim." },
	[M_NEW] = { "Daftarkan layanan baru", "Register a new service" },
	[M_NO_CLIENTS] = { "Belum ada layanan terdaftar.",
	    "No service is registered yet." },
	[M_CLIENTS_OF] = { "Layanan %s", "Services of %s" },
	[M_COL_NAME] = { "Nama", "Name" },
	[M_COL_ID] = { "ID klien", "Client ID" },
	[M_COL_STATUS] = { "Status", "Status" },
	[M_PENDING] = { "Menunggu persetujuan", "Awaiting approval" },
	[M_APPROVED] = { "Disetujui", "Approved" },
	[M_REJECTED] = { "Ditolak", "Rejected" },
	[M_REQUESTS_TITLE] = { "Permintaan izin untuk API instansi Anda",
	    "Requests for your organisations' API scopes" },
	[M_NO_REQUESTS] = { "Tidak ada permintaan yang menunggu.",
	    "No request is waiting." },
	[M_REQUEST_ASKS] = { "%s meminta izin %s", "%s asks for %s" },
	[M_REQUEST_REASON] = { "Alasan: %s", "Reason: %s" },
	[M_APPROVE] = { "Setujui", "Approve" },
	[M_REJECT] = { "Tolak", "Reject" },
	[M_REJECT_WHY] = { "Alasan penolakan", "Why it is rejected" },
	[M_REGISTER_TITLE] = { "Daftarkan layanan baru",
	    "Register a new service" },
	[M_REGISTER_INTRO] = { "Layanan baru menunggu persetujuan tim SSO "
	    "sebelum dapat dipakai untuk masuk.", "A new service waits for "
	    "the SSO team's approval before people can sign in to it." },
	[M_ORG] = { "Instansi pemilik", "Owning organisation" },
	[M_NAME] = { "Nama layanan", "Name of the service" },
	[M_NAME_HINT] = { "Nama yang dilihat orang saat masuk. Tidak boleh "
	    "mirip nama layanan instansi lain.", "The name people see when "
	    "they sign in. It may not look like another organisation's "
	    "service." },
	[M_REDIRECTS] = { "Alamat kembali (redirect_uris)",
	    "Return addresses (redirect_uris)" },
	[M_REDIRECTS_HINT] = { "Satu alamat per baris, persis seperti yang "
	    "dikirim layanan. https; http hanya untuk 127.0.0.1 dan localhost.",
	    "One address a line, exactly as the service sends it. https; http "
	    "only for 127.0.0.1 and localhost." },
	[M_POST_LOGOUT] = { "Alamat setelah keluar "
	    "(post_logout_redirect_uris)", "Addresses after sign-out "
	    "(post_logout_redirect_uris)" },
	[M_POST_LOGOUT_HINT] = { "Satu alamat per baris; boleh kosong.",
	    "One address a line; may be empty." },
	[M_AUTH] = { "Cara layanan membuktikan dirinya",
	    "How the service proves who it is" },
	[M_AUTH_BASIC] = { "Rahasia klien lewat HTTP Basic "
	    "(client_secret_basic)", "A client secret over HTTP Basic "
	    "(client_secret_basic)" },
	[M_AUTH_BASIC_HINT] = { "Untuk aplikasi web di server. Kunci publik "
	    "(private_key_jwt) dapat dipasang setelah terdaftar.", "For web "
	    "applications on a server. Public keys (private_key_jwt) can be "
	    "set once it is registered." },
	[M_AUTH_POST] = { "Rahasia klien di badan permintaan "
	    "(client_secret_post)", "A client secret in the request body "
	    "(client_secret_post)" },
	[M_AUTH_NONE] = { "Tanpa rahasia: aplikasi publik (none)",
	    "No secret: a public application (none)" },
	[M_AUTH_NONE_HINT] = { "Untuk aplikasi seluler dan aplikasi di "
	    "peramban; wajib PKCE.", "For mobile and in-browser applications; "
	    "PKCE is required." },
	[M_SCOPES] = { "Data orang yang diminta", "What it asks to know" },
	[M_SCOPE_OPENID_ALWAYS] = { "openid (identitas akun) selalu termasuk.",
	    "openid (the account identifier) is always included." },
	[M_CLIENT_URI] = { "Alamat beranda layanan (client_uri)",
	    "Home page of the service (client_uri)" },
	[M_CLIENT_URI_HINT] = { "Ditampilkan di halaman izin bila https dan "
	    "di domain yang sama dengan alamat kembali.", "Shown on the "
	    "consent page when https and on the same domain as a return "
	    "address." },
	[M_CONTACTS] = { "Kontak (contacts)", "Contacts (contacts)" },
	[M_CONTACTS_HINT] = { "Alamat email pengelola, satu per baris.",
	    "Email addresses of the people who run it, one a line." },
	[M_REGISTER] = { "Daftarkan", "Register" },
	[M_FORM_ERROR] = { "Formulir belum dapat disimpan. Periksa isian "
	    "yang ditandai.", "The form could not be saved. Check the marked "
	    "entry." },
	[M_DETAIL] = { "Rincian teknis:", "Technical detail:" },
	[M_FIELD_BAD] = { "Isian ini tidak diterima (lihat rincian di atas).",
	    "This entry was not accepted (see the detail above)." },
	[M_REGISTERED_TITLE] = { "%s sudah terdaftar", "%s is registered" },
	[M_REGISTERED_WAIT] = { "Layanan ini menunggu persetujuan tim SSO. "
	    "Sampai disetujui, orang belum dapat masuk ke layanan ini dan "
	    "titik akhir token menjawab unauthorized_client.", "The service "
	    "waits for the SSO team's approval. Until then nobody can sign in "
	    "to it and the token endpoint answers unauthorized_client." },
	[M_CLIENT_ID] = { "ID klien (client_id)", "Client ID (client_id)" },
	[M_SECRET] = { "Rahasia klien (client_secret)",
	    "Client secret (client_secret)" },
	[M_SECRET_ONCE] = { "Simpan rahasia ini sekarang di konfigurasi "
	    "layanan Anda: rahasia ini tidak akan ditampilkan lagi.", "Store "
	    "this secret in your service's configuration now: it will not be "
	    "shown again." },
	[M_OPEN_CLIENT] = { "Buka halaman layanan", "Open the service's page" },
	[M_BACK] = { "Kembali ke portal pengembang",
	    "Back to the developer portal" },
	[M_STATUS] = { "Status", "Status" },
	[M_OWNER] = { "Instansi pemilik", "Owning organisation" },
	[M_AUTH_METHOD] = { "Metode autentikasi", "Authentication method" },
	[M_SCOPE] = { "Cakupan terdaftar (scope)", "Registered scope" },
	[M_CREATED] = { "Terdaftar", "Registered" },
	[M_ROTATED] = { "Rahasia terakhir diganti", "Secret last replaced" },
	[M_MANIFEST] = { "Layanan ini dikelola melalui manifesnya di "
	    "repositori (clients/). Ubah alamat dan kunci lewat merge request; "
	    "rahasia dapat diganti di sini.", "This service is managed by its "
	    "manifest in the repository (clients/). Change its addresses and "
	    "keys by merge request; its secret can be replaced here." },
	[M_URIS_TITLE] = { "Alamat", "Addresses" },
	[M_SAVE] = { "Simpan alamat", "Save the addresses" },
	[M_SECRET_TITLE] = { "Rahasia klien", "Client secret" },
	[M_SECRET_WHAT] = { "Ganti rahasia bila seseorang yang mengetahuinya "
	    "pergi. Rahasia lama berhenti berlaku saat itu juga.",
	    "Replace the secret when someone who knew it leaves. The old one stops "
	    "working at once." },
	[M_ROTATE] = { "Buat rahasia baru", "Make a new secret" },
	[M_NO_SECRET] = { "Layanan ini tidak memakai rahasia klien.",
	    "This service does not use a client secret." },
	[M_KEYS_TITLE] = { "Kunci publik (private_key_jwt)",
	    "Public keys (private_key_jwt)" },
	[M_KEYS_WHAT] = { "Dengan kunci publik, layanan membuktikan dirinya "
	    "dengan JWT yang ditandatanganinya (RFC 7523) dan rahasia klien "
	    "dihapus. Isi salah satu: jwks_uri atau JWKS.", "With public keys "
	    "the service proves who it is with JWTs it signs (RFC 7523), and "
	    "the client secret is removed. Fill in one of the two: jwks_uri "
	    "or a JWKS." },
	[M_JWKS_URI] = { "Alamat JWKS (jwks_uri)", "JWKS address (jwks_uri)" },
	[M_JWKS_URI_HINT] = { "https, di alamat publik; diambil oleh SSO "
	    "(paling besar 64 KiB, dalam 5 detik, tanpa pengalihan).", "https, "
	    "on a public address; fetched by the SSO (at most 64 KiB, within "
	    "5 seconds, without redirects)." },
	[M_JWKS] = { "JWKS (JSON)", "JWKS (JSON)" },
	[M_JWKS_HINT] = { "Kunci publik saja: {\"keys\": [...]}.",
	    "Public keys only: {\"keys\": [...]}." },
	[M_SAVE_KEYS] = { "Pakai kunci ini", "Use these keys" },
	[M_API_TITLE] = { "Izin API layanan lain", "API scopes of other "
	    "services" },
	[M_COL_SCOPE] = { "Izin", "Scope" },
	[M_COL_SERVICE] = { "Layanan", "Service" },
	[M_COL_DECIDED] = { "Diputuskan oleh", "Decided by" },
	[M_REQUEST] = { "Minta izin", "Ask for it" },
	[M_REQUEST_WHICH] = { "Izin yang diminta", "Scope to ask for" },
	[M_REASON] = { "Alasan", "Reason" },
	[M_REASON_HINT] = { "Untuk pemilik API: apa yang dilakukan layanan "
	    "Anda dengan izin ini.", "For the API's owner: what your service "
	    "does with it." },
	[M_NOTHING_TO_ASK] = { "Tidak ada izin API lain yang dapat diminta.",
	    "There is no other API scope to ask for." },
	[M_DELETE_TITLE] = { "Hapus layanan", "Remove the service" },
	[M_DELETE_WHAT] = { "Menghapus layanan mengakhiri semua token dan izin "
	    "orang untuknya. Tidak dapat dibatalkan.", "Removing the service "
	    "ends all its tokens and people's consents to it. It cannot be "
	    "undone." },
	[M_DELETE] = { "Hapus layanan ini", "Remove this service" },
	[M_ROTATE_Q] = { "Buat rahasia baru untuk %s?",
	    "Make a new secret for %s?" },
	[M_ROTATE_WHAT] = { "Rahasia yang sekarang berhenti berlaku saat ini "
	    "juga: layanan harus memakai rahasia baru sebelum meminta token "
	    "lagi.", "The current secret stops working now: the service must "
	    "use the new one before it asks for tokens again." },
	[M_DELETE_Q] = { "Hapus %s?", "Remove %s?" },
	[M_CANCEL] = { "Batal", "Cancel" },
	[M_NEW_SECRET_TITLE] = { "Rahasia baru untuk %s",
	    "New secret for %s" },
	[M_SAVED] = { "Perubahan tersimpan.", "The change is saved." },
	[M_REQUESTED] = { "Permintaan terkirim; pemilik API akan "
	    "memutuskannya.", "The request is sent; the API's owner will "
	    "decide." },
	[M_DELETED] = { "Layanan sudah dihapus.", "The service is removed." },
	[M_SCOPE_APPROVED] = { "Permintaan disetujui.",
	    "The request is approved." },
	[M_SCOPE_REJECTED] = { "Permintaan ditolak.",
	    "The request is rejected." },
	[M_NEED_REASON] = { "Penolakan memerlukan alasan (paling panjang 500 "
	    "karakter).", "A rejection needs a reason (at most 500 "
	    "characters)." },
	[M_DECIDED] = { "Permintaan itu sudah diputuskan.",
	    "That request was decided already." },
	[M_REJECTED_BECAUSE] = { "Ditolak: %s", "Rejected: %s" },
	[M_NOTHING] = { "(tidak ada)", "(none)" },
	[M_CLIENT_TITLE] = { "%s", "%s" },
};
const size_t idp_developer_nmsgs = M_COUNT;


static const struct idp_flash flashes[] = {
	{ "client_deleted", M(M_DELETED) },
	{ "scope_approved", M(M_SCOPE_APPROVED) },
	{ "scope_rejected", M(M_SCOPE_REJECTED) },
	{ "need_reason", M(M_NEED_REASON) },
	{ "decided", M(M_DECIDED) },
	{ NULL, NULL },
};

const char *
idp_devpage_client_path(struct idp_dev *d, const char *id)
{
	return idp_arena_printf(d->rq->arena, "/developer/clients/%s", id);
}

/* A client's name in the arena, its id when it has none. */
static const char *
display_name(struct idp_dev *d, const struct idp_client_row *row)
{
	json_t *md = json_loads(row->metadata, 0, NULL);
	const char *n = json_string_value(json_object_get(md, "client_name"));
	const char *out = n != NULL && *n != '\0' ?
	    idp_arena_strdup(d->rq->arena, n) : row->client_id;

	json_decref(md);
	return out;
}

void
idp_devpage_badge(struct idp_page *pg, const char *approval, const char *reason)
{
	bool pending = idp_str_eq(approval, "pending");
	bool rejected = idp_str_eq(approval, "rejected");

	idp_page_raw(pg, pending ? "<span class=\"badge wait\">" : rejected ?
	    "<span class=\"badge no\">" : "<span class=\"badge ok\">");
	idp_page_t(pg, M(pending ? M_PENDING : rejected ? M_REJECTED :
	    M_APPROVED), NULL);
	idp_page_raw(pg, "</span>");
	if (rejected && reason != NULL && *reason != '\0') {
		idp_page_raw(pg, " ");
		idp_page_t(pg, M(M_REJECTED_BECAUSE), reason);
	}
}

void
idp_devpage_link_cell(struct idp_page *pg, const char *href, const char *text)
{
	idp_page_raw(pg, "<td><a");
	idp_html_href(&pg->b, href);
	idp_page_raw(pg, ">");
	idp_page_text(pg, text);
	idp_page_raw(pg, "</a></td>");
}

static void
org_clients(struct idp_dev *d, struct idp_page *pg, const struct idp_org *o,
    const struct idp_client_row *clients, int n, int k)
{
	static const struct idp_msg *const cols[] = { M(M_COL_NAME),
		M(M_COL_ID), M(M_COL_STATUS) };
	bool any = false;

	idp_page_heading(pg, 2, M(M_CLIENTS_OF), o->name);
	for (int i = 0; i < n; i++) {
		if (!idp_str_eq(clients[i].owner_org, o->code))
			continue;
		if (!any)
			idp_page_table_begin(pg, idp_arena_printf(
			    d->rq->arena, "clients-%d", k), M(M_CLIENTS_OF),
			    cols, 3);
		any = true;
		idp_page_row_begin(pg);
		idp_devpage_link_cell(pg, idp_devpage_client_path(d,
		    clients[i].client_id),
		    display_name(d, &clients[i]));
		idp_page_raw(pg, "<td><code>");
		idp_page_text(pg, clients[i].client_id);
		idp_page_raw(pg, "</code></td><td>");
		idp_devpage_badge(pg, clients[i].approval, NULL);
		idp_page_raw(pg, "</td>");
		idp_page_row_end(pg);
	}
	if (any)
		idp_page_table_end(pg);
	else
		idp_page_para(pg, "muted", M(M_NO_CLIENTS), NULL);
}

static void
request_item(struct idp_dev *d, struct idp_page *pg,
    const struct idp_scope_request *q)
{
	const char *action = idp_arena_printf(d->rq->arena,
	    "/developer/requests/%lld", q->id);
	const char *rid = idp_arena_printf(d->rq->arena, "reason-%lld", q->id);
	struct idp_field why = { 0 };

	idp_page_raw(pg, "<section class=\"item\"><h3>");
	idp_page_t2(pg, M(M_REQUEST_ASKS), q->client_id, q->scope);
	idp_page_raw(pg, "</h3>");
	if (q->reason != NULL && *q->reason != '\0')
		idp_page_para(pg, NULL, M(M_REQUEST_REASON), q->reason);
	idp_form_begin(pg, action, d->csrf);
	idp_form_hidden(pg, "action", "approve");
	idp_form_button(pg, NULL, NULL, NULL, M(M_APPROVE));
	idp_form_end(pg);
	idp_form_begin(pg, action, d->csrf);
	idp_form_hidden(pg, "action", "reject");
	why.name = "reason";
	why.id = rid;
	why.label = M(M_REJECT_WHY);
	why.maxlength = 500;
	idp_form_field(pg, &why);
	idp_form_button(pg, "secondary", NULL, NULL, M(M_REJECT));
	idp_form_end(pg);
	idp_page_raw(pg, "</section>");
}

enum idp_err
idp_devpage_home(struct idp_dev *d, const struct idp_client_row *clients,
    int nclients, const struct idp_scope_request *requests, int nrequests)
{
	struct idp_page pg;

	idp_page_init(&pg, d->rq, d->rs, NULL);
	pg.wide = true;
	idp_page_head(&pg, M(M_HOME_TITLE), NULL);
	idp_page_flash(&pg, flashes);
	idp_page_para(&pg, NULL, M(M_SIGNED_IN_AS), d->s->user.name);
	idp_page_heading(&pg, 2, M(M_YOUR_ORGS), NULL);
	idp_page_raw(&pg, "<ul>");
	for (int i = 0; i < d->norgs; i++) {
		idp_page_raw(&pg, "<li>");
		idp_page_text(&pg, d->orgs[i].name);
		idp_page_raw(&pg, " (");
		idp_page_t(&pg, M(M_ORG_CODE), d->orgs[i].code);
		idp_page_raw(&pg, ")");
		idp_page_raw(&pg, "</li>");
	}
	idp_page_raw(&pg, "</ul>");
	idp_page_para(&pg, "muted", M(M_ORG_CODE_WHY), NULL);
	idp_page_raw(&pg, "<div class=\"actions\">");
	idp_page_link(&pg, "button", "/developer/new", M(M_NEW), NULL);
	idp_page_raw(&pg, "</div>");
	for (int i = 0; i < d->norgs; i++)
		org_clients(d, &pg, &d->orgs[i], clients, nclients, i);
	idp_page_heading(&pg, 2, M(M_REQUESTS_TITLE), NULL);
	if (nrequests == 0)
		idp_page_para(&pg, "muted", M(M_NO_REQUESTS), NULL);
	for (int i = 0; i < nrequests; i++)
		request_item(d, &pg, &requests[i]);
	return idp_page_send(&pg, 200);
}

/* The error box above a form that failed: what to do, and the
 * validator's sentence (English) as the technical detail. */
void
idp_devpage_form_error(struct idp_page *pg, const struct idp_dev_form *f)
{
	if (f == NULL || f->why == NULL)
		return;
	idp_page_raw(pg, "<div class=\"error\" role=\"alert\" "
	    "id=\"form-error\"><p>");
	idp_page_t(pg, M(M_FORM_ERROR), NULL);
	idp_page_raw(pg, "</p><p>");
	idp_page_t(pg, M(M_DETAIL), NULL);
	idp_page_raw(pg, " <span lang=\"en\">");
	idp_page_text(pg, f->why);
	idp_page_raw(pg, "</span></p></div>");
}

const struct idp_msg *
idp_devpage_field_error(const struct idp_dev_form *f, enum idp_dev_field which)
{
	return f != NULL && f->why != NULL && f->bad == which ?
	    M(M_FIELD_BAD) : NULL;
}

void
idp_devpage_text_field(struct idp_page *pg, const struct idp_dev_form *f,
    const char *name, int label, int hint, const char *value,
    enum idp_dev_field which, bool area, int maxlength)
{
	struct idp_field x = { 0 };

	x.name = name;
	x.type = "text";
	x.label = M(label);
	x.hint = hint >= 0 ? M(hint) : NULL;
	x.error = idp_devpage_field_error(f, which);
	x.value = value;
	x.maxlength = maxlength;
	if (area)
		idp_form_textarea(pg, &x, 3);
	else
		idp_form_field(pg, &x);
}

static void
org_choice(struct idp_dev *d, struct idp_page *pg,
    const struct idp_dev_form *f)
{
	struct idp_choice *c = idp_arena_zalloc(d->rq->arena, sizeof(*c) *
	    (size_t)(d->norgs + 1));

	for (int i = 0; i < d->norgs; i++) {
		c[i].value = d->orgs[i].code;
		c[i].arg = idp_arena_printf(d->rq->arena, "%s (%s)",
		    d->orgs[i].name, d->orgs[i].code);
		c[i].checked = f != NULL ? idp_str_eq(f->org, c[i].value) :
		    i == 0;
	}
	idp_form_choices(pg, "organisation", M(M_ORG),
	    idp_devpage_field_error(f, IDP_DEV_F_ORG), c, (size_t)d->norgs,
	    false);
}

static void
auth_choice(struct idp_page *pg, const struct idp_dev_form *f)
{
	const char *have = f != NULL && f->auth != NULL ? f->auth :
	    "client_secret_basic";
	struct idp_choice c[3] = {
		{ "client_secret_basic", M(M_AUTH_BASIC), NULL,
		  M(M_AUTH_BASIC_HINT), false },
		{ "client_secret_post", M(M_AUTH_POST), NULL, NULL, false },
		{ "none", M(M_AUTH_NONE), NULL, M(M_AUTH_NONE_HINT), false },
	};

	for (size_t i = 0; i < 3; i++)
		c[i].checked = !strcmp(have, c[i].value);
	idp_form_choices(pg, "token_endpoint_auth_method", M(M_AUTH),
	    idp_devpage_field_error(f, IDP_DEV_F_AUTH), c, 3, false);
}

static void
scope_choice(struct idp_page *pg, const struct idp_dev_form *f)
{
	struct idp_choice c[5];

	memset(c, 0, sizeof(c));
	for (size_t i = 0; i < 5; i++) {
		c[i].value = idp_dev_std_fields[i];
		c[i].arg = idp_dev_std_scopes[i];
		/* A new form asks for what most services need. */
		c[i].checked = f != NULL ? f->std[i] : i != 2 && i != 4;
	}
	idp_form_choices(pg, "scopes", M(M_SCOPES),
	    idp_devpage_field_error(f, IDP_DEV_F_SCOPES), c, 5, true);
	idp_page_para(pg, "muted", M(M_SCOPE_OPENID_ALWAYS), NULL);
}

enum idp_err
idp_devpage_register(struct idp_dev *d, const struct idp_dev_form *f,
    int status)
{
	struct idp_page pg;

	idp_page_init(&pg, d->rq, d->rs, NULL);
	pg.self = "/developer/new";
	idp_page_head(&pg, M(M_REGISTER_TITLE), NULL);
	idp_page_para(&pg, NULL, M(M_REGISTER_INTRO), NULL);
	idp_devpage_form_error(&pg, f);
	idp_form_begin(&pg, "/developer/new", d->csrf);
	org_choice(d, &pg, f);
	idp_devpage_text_field(&pg, f, "client_name", M_NAME, M_NAME_HINT,
	    f ? f->name : NULL, IDP_DEV_F_NAME, false, 200);
	idp_devpage_text_field(&pg, f, "redirect_uris", M_REDIRECTS,
	    M_REDIRECTS_HINT, f ? f->redirects : NULL, IDP_DEV_F_REDIRECTS, true, 0);
	idp_devpage_text_field(&pg, f, "post_logout_redirect_uris",
	    M_POST_LOGOUT, M_POST_LOGOUT_HINT, f ? f->post_logout : NULL,
	    IDP_DEV_F_POST_LOGOUT, true, 0);
	auth_choice(&pg, f);
	scope_choice(&pg, f);
	idp_devpage_text_field(&pg, f, "client_uri", M_CLIENT_URI,
	    M_CLIENT_URI_HINT, f ? f->client_uri : NULL, IDP_DEV_F_CLIENT_URI, false, 2000);
	idp_devpage_text_field(&pg, f, "contacts", M_CONTACTS, M_CONTACTS_HINT,
	    f ? f->contacts : NULL, IDP_DEV_F_CONTACTS, true, 0);
	idp_form_button(&pg, NULL, NULL, NULL, M(M_REGISTER));
	idp_form_end(&pg);
	idp_page_raw(&pg, "<p>");
	idp_page_link(&pg, NULL, "/developer", M(M_BACK), NULL);
	idp_page_raw(&pg, "</p>");
	return idp_page_send(&pg, status);
}

/* A secret, to be copied from the page: it goes with this answer (no-store)
 * and is never stored in clear. */
static void
secret_shown(struct idp_page *pg, const char *secret)
{
	idp_page_raw(pg, "<div class=\"secret\"><p><strong>");
	idp_page_t(pg, M(M_SECRET), NULL);
	idp_page_raw(pg, "</strong></p><p><code id=\"client-secret\">");
	idp_page_text(pg, secret);
	idp_page_raw(pg, "</code></p><p class=\"hint\">");
	idp_page_t(pg, M(M_SECRET_ONCE), NULL);
	idp_page_raw(pg, "</p></div>");
}

enum idp_err
idp_devpage_registered(struct idp_dev *d, const char *client_id,
    const char *name, const char *secret)
{
	struct idp_page pg;

	idp_page_init(&pg, d->rq, d->rs, NULL);
	idp_page_head(&pg, M(M_REGISTERED_TITLE), name);
	idp_page_para(&pg, NULL, M(M_REGISTERED_WAIT), NULL);
	idp_page_dl_begin(&pg);
	idp_page_dl_text(&pg, M(M_CLIENT_ID), client_id);
	idp_page_dl_end(&pg);
	if (secret != NULL)
		secret_shown(&pg, secret);
	idp_page_raw(&pg, "<div class=\"actions\">");
	idp_page_link(&pg, "button", idp_devpage_client_path(d, client_id),
	    M(M_OPEN_CLIENT), NULL);
	idp_page_raw(&pg, "</div>");
	return idp_page_send(&pg, 200);
}

enum idp_err
idp_devpage_secret(struct idp_dev *d, const struct idp_client_row *row,
    const char *name, const char *secret)
{
	struct idp_page pg;

	idp_page_init(&pg, d->rq, d->rs, NULL);
	idp_page_head(&pg, M(M_NEW_SECRET_TITLE), name ? name :
	    row->client_id);
	idp_page_dl_begin(&pg);
	idp_page_dl_text(&pg, M(M_CLIENT_ID), row->client_id);
	idp_page_dl_end(&pg);
	secret_shown(&pg, secret);
	idp_page_raw(&pg, "<div class=\"actions\">");
	idp_page_link(&pg, "button", idp_devpage_client_path(d, row->client_id),
	    M(M_OPEN_CLIENT), NULL);
	idp_page_raw(&pg, "</div>");
	return idp_page_send(&pg, 200);
}

enum idp_err
idp_devpage_confirm(struct idp_dev *d, const struct idp_client_row *row,
    const char *name, const char *action)
{
	bool rotate = !strcmp(action, "rotate");
	const struct idp_hidden hidden[] = { { "action", action },
		{ NULL, NULL } };
	const char *back = idp_devpage_client_path(d, row->client_id);
	const struct idp_confirm c = { back, d->csrf, hidden,
		M(rotate ? M_ROTATE : M_DELETE), M(M_CANCEL), back };
	struct idp_page pg;

	idp_page_init(&pg, d->rq, d->rs, NULL);
	idp_page_head(&pg, M(rotate ? M_ROTATE_Q : M_DELETE_Q), name ? name :
	    row->client_id);
	idp_page_para(&pg, NULL, M(rotate ? M_ROTATE_WHAT : M_DELETE_WHAT),
	    NULL);
	idp_form_confirm(&pg, &c);
	return idp_page_send(&pg, 200);
}

enum idp_err
idp_devpage_forbidden(struct idp_dev *d, const char *detail)
{
	struct idp_trouble t = { 0 };

	t.kind = IDP_TROUBLE_NOT_DEVELOPER;
	t.err = IDP_ERR_FORBIDDEN;
	t.detail = detail;
	if (d->norgs > 0)
		t.retry = "/developer";
	return idp_page_trouble(d->rq, d->rs, &t);
}
