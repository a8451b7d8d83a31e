/* A QR code drawn by the server as inline SVG (libqrencode), so a page
 * can show an otpauth:// URI to a phone's camera without JavaScript or a
 * request of its own. */
#ifndef IDP_PAGE_QR_H
#define IDP_PAGE_QR_H

#include "page/page.h"

/* <svg role="img" aria-label=label> of text (error correction M, 4
 * modules of quiet zone, dark on white). -1 when text does not fit a
 * QR code (nothing is written). */
int idp_page_qr(struct idp_page *pg, const char *text,
    const struct idp_msg *label);

#endif
