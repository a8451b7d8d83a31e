#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "fetch.h"
#include "util.h"

int
fetch_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

/* libcurl's write callback: collect the body, refuse past the limit. */
static size_t
on_body(char *data, size_t size, size_t nmemb, void *arg)
{
	struct buf *b = arg;
	size_t n = size * nmemb;

	buf_add(b, data, n);
	/* Returning less than n makes libcurl stop with CURLE_WRITE_ERROR. */
	return b->b_failed ? 0 : n;
}

int
fetch(const struct fetch_req *rq, struct fetch_resp *rs)
{
	struct curl_slist *hdrs = NULL, *h;
	char errbuf[CURL_ERROR_SIZE] = "";
	struct buf body, auth;
	CURLcode cc;
	CURL *c;
	char *a = NULL;
	int rc = -1;

	memset(rs, 0, sizeof(*rs));
	buf_init(&body, FETCH_MAX_BODY);
	if ((c = curl_easy_init()) == NULL)
		goto oom;
	if ((hdrs = curl_slist_append(NULL, "Accept: application/json")) == NULL)
		goto oom;
	if (rq->fr_authorization != NULL) {
		buf_init(&auth, 8192);
		buf_puts(&auth, "Authorization: ");
		buf_puts(&auth, rq->fr_authorization);
		if ((a = buf_steal(&auth)) == NULL ||
		    (h = curl_slist_append(hdrs, a)) == NULL)
			goto oom;
		hdrs = h;
	}
	curl_easy_setopt(c, CURLOPT_URL, rq->fr_url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	/* The defaults, stated: a provider is trusted only over real TLS. */
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	/*
	 * No redirects: a token request must reach the token endpoint and
	 * nothing else, or the code and secret could be sent elsewhere.
	 */
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, FETCH_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, FETCH_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)FETCH_MAX_BODY);
	/* Threads: no SIGALRM-based DNS timeouts. */
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "spbe-portal/1");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
	if (rq->fr_form != NULL) {
		/* Sets POST and Content-Type: application/x-www-form-... */
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, rq->fr_form);
	}
	cc = curl_easy_perform(c);
	if (cc != CURLE_OK) {
		snprintf(rs->fs_error, sizeof(rs->fs_error), "%s",
		    body.b_failed || cc == CURLE_FILESIZE_EXCEEDED ?
		    "response larger than 1 MiB" :
		    errbuf[0] != '\0' ? errbuf : curl_easy_strerror(cc));
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &rs->fs_status);
	rs->fs_len = body.b_len;
	if ((rs->fs_body = buf_steal(&body)) == NULL)
		goto oom;
	rc = 0;
	goto out;
oom:
	snprintf(rs->fs_error, sizeof(rs->fs_error), "out of memory");
out:
	buf_free(&body);
	curl_slist_free_all(hdrs);
	wipe_free(a);
	curl_easy_cleanup(c);
	return rc;
}

void
fetch_resp_free(struct fetch_resp *rs)
{
	wipe_free(rs->fs_body);
	rs->fs_body = NULL;
	rs->fs_len = 0;
}
