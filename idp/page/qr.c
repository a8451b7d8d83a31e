#include <stdio.h>
#include <string.h>

#include <qrencode.h>

#include "page/qr.h"

#define QUIET 4

/* One dark run of a row as an SVG path step. */
static void
run(struct idp_page *pg, int x, int y, int len)
{
	char step[64];	/* four ints of up to 11 characters each, and the letters */

	snprintf(step, sizeof(step), "M%d %dh%dv1h-%dz", x + QUIET, y + QUIET,
	    len, len);
	idp_page_raw(pg, step);
}

int
idp_page_qr(struct idp_page *pg, const char *text,
    const struct idp_msg *label)
{
	QRcode *q;
	char head[200];
	int w;

	if (text == NULL || strlen(text) > 1024)
		return -1;
	q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (q == NULL)
		return -1;
	w = q->width;
	snprintf(head, sizeof(head), "<svg class=\"qr\" xmlns=\""
	    "http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"232\" "
	    "height=\"232\" role=\"img\" aria-label=\"", w + 2 * QUIET,
	    w + 2 * QUIET);
	idp_page_raw(pg, head);
	idp_page_text(pg, idp_page_str(pg, label));
	idp_page_raw(pg, "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" "
	    "height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"");
	for (int y = 0; y < w; y++) {
		int start = -1;

		for (int x = 0; x <= w; x++) {
			bool dark = x < w && (q->data[y * w + x] & 1);

			if (dark && start < 0)
				start = x;
			else if (!dark && start >= 0) {
				run(pg, start, y, x - start);
				start = -1;
			}
		}
	}
	idp_page_raw(pg, "\"/></svg>");
	QRcode_free(q);
	return 0;
}
