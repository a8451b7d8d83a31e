/* The developer portal (/developer): service developers manage the clients
 * of the organisations where they hold the developer role (core/roles.h),
 * signed in through the provider itself. developer.c routes and checks,
 * developer_act.c carries out the forms, pages_developer.c and
 * pages_usage.c render. Private to these files. */
#ifndef IDP_ENDPOINT_DEVELOPER_H
#define IDP_ENDPOINT_DEVELOPER_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/roles.h"
#include "http/req.h"
#include "page/lang.h"
#include "store/api.h"
#include "store/client.h"
#include "store/directory.h"
#include "store/session.h"
#include "store/usage.h"

#define IDP_DEV_CSRF "developer"
#define IDP_DEV_DAYS 30

/* One request of a signed-in person to the portal. */
struct idp_dev {
	struct idp_req *rq;
	struct idp_resp *rs;
	struct idp_dbconn *db;
	const struct idp_session *s;
	struct idp_roles roles;
	struct idp_org *orgs;		/* where they are a developer */
	int norgs;
	const char *csrf;
};

/* The fields of the registration form as sent, and what was wrong. */
enum idp_dev_field {
	IDP_DEV_F_NONE = 0,
	IDP_DEV_F_NAME,
	IDP_DEV_F_ORG,
	IDP_DEV_F_REDIRECTS,
	IDP_DEV_F_POST_LOGOUT,
	IDP_DEV_F_AUTH,
	IDP_DEV_F_SCOPES,
	IDP_DEV_F_CLIENT_URI,
	IDP_DEV_F_CONTACTS,
	IDP_DEV_F_KEYS,
	IDP_DEV_F_SCOPE_REQUEST,
	IDP_DEV_F_REASON,
};

struct idp_dev_form {
	const char *name;
	const char *org;
	const char *redirects;		/* one URI a line */
	const char *post_logout;
	const char *auth;
	const char *client_uri;
	const char *contacts;		/* one a line */
	const char *jwks_uri;
	const char *jwks;
	const char *scope;		/* a scope request's scope */
	const char *reason;
	bool std[6];			/* profile ... offline_access */
	enum idp_dev_field bad;		/* what the error is about */
	const char *why;		/* English, the validator's sentence */
};

/* The standard scopes the form offers besides openid, in order. */
extern const char *const idp_dev_std_scopes[6];
extern const char *const idp_dev_std_fields[6];

/* A client as the portal shows it. */
struct idp_dev_client {
	const struct idp_client_row *row;
	json_t *md;			/* its metadata (borrowed) */
	bool manifest;			/* from a manifest: read-only */
	struct idp_scope_request *requests;
	int nrequests;
	struct idp_api_scope_row *offer;	/* scopes it may ask for */
	int noffer;
	struct idp_usage_day *days;	/* IDP_DEV_DAYS, oldest first */
	struct idp_usage_error *errors;
	int nerrors;
	struct idp_dev_form form;	/* values and error of a failed form */
	const char *form_action;	/* which form failed, or NULL */
};

/* developer_act.c: the forms. Each returns with the answer in d->rs. */
enum idp_err idp_dev_register(struct idp_dev *d);
enum idp_err idp_dev_client_post(struct idp_dev *d, const char *client_id);
enum idp_err idp_dev_request_post(struct idp_dev *d, const char *id);
/* developer.c: the client of the path, if the person may manage it; else
 * the 404 or 403 page is in d->rs and the error returned. */
enum idp_err idp_dev_client_of(struct idp_dev *d, const char *id,
    struct idp_client_row **row);
/* developer.c: the client page, with a failed form's values and error. */
enum idp_err idp_dev_client_show(struct idp_dev *d,
    const struct idp_client_row *row, const struct idp_dev_form *f,
    const char *action, int status);
/* Read the form of rq into f (values only). */
void idp_dev_form_read(struct idp_req *rq, struct idp_dev_form *f);
/* The field a validator's sentence is about (it starts with the member's
 * name). */
enum idp_dev_field idp_dev_field_of(const char *why);
/* Audit an action of the developer. */
void idp_dev_audit(struct idp_dev *d, const char *event,
    const char *client_id, json_t *details);

/* pages_developer.c */
enum idp_err idp_devpage_home(struct idp_dev *d,
    const struct idp_client_row *clients, int nclients,
    const struct idp_scope_request *requests, int nrequests);
enum idp_err idp_devpage_register(struct idp_dev *d,
    const struct idp_dev_form *f, int status);
enum idp_err idp_devpage_registered(struct idp_dev *d, const char *client_id,
    const char *name, const char *secret);
enum idp_err idp_devpage_client(struct idp_dev *d,
    const struct idp_dev_client *v, int status);
enum idp_err idp_devpage_secret(struct idp_dev *d,
    const struct idp_client_row *row, const char *name, const char *secret);
/* The question before a secret is replaced or a client removed. */
enum idp_err idp_devpage_confirm(struct idp_dev *d,
    const struct idp_client_row *row, const char *name, const char *action);
/* The page for a person who is no developer of the organisation. */
enum idp_err idp_devpage_forbidden(struct idp_dev *d, const char *detail);

/* pages_developer.c: parts the client page shares. */
struct idp_page;
void idp_devpage_badge(struct idp_page *pg, const char *approval,
    const char *reason);
void idp_devpage_form_error(struct idp_page *pg,
    const struct idp_dev_form *f);
const struct idp_msg *idp_devpage_field_error(const struct idp_dev_form *f,
    enum idp_dev_field which);
/* A text field (area: a text area) with label and hint messages (hint
 * -1: none), marked when the form's error is about which. */
void idp_devpage_text_field(struct idp_page *pg, const struct idp_dev_form *f,
    const char *name, int label, int hint, const char *value,
    enum idp_dev_field which, bool area, int maxlength);
const char *idp_devpage_client_path(struct idp_dev *d, const char *id);
void idp_devpage_link_cell(struct idp_page *pg, const char *href,
    const char *text);

/* pages_usage.c: the usage section of the client page. */
void idp_devpage_usage(struct idp_page *pg, const struct idp_dev_client *v);

extern const struct idp_msg idp_developer_msgs[];
extern const size_t idp_developer_nmsgs;
extern const struct idp_msg idp_usage_msgs[];
extern const size_t idp_usage_nmsgs;

#endif
