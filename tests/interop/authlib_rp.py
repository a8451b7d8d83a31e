#!/usr/bin/python3
"""A relying party built on Authlib (Debian python3-authlib), configured
as its documentation shows: discovery, scope "openid email profile
offline_access", PKCE S256, client_secret_basic. Two steps, because a
browser (the Node test) signs the person in between them:

  authlib_rp.py start ISSUER CLIENT_ID SECRET REDIRECT_URI
      prints {"url", "state", "nonce", "verifier"}
  authlib_rp.py finish ISSUER CLIENT_ID SECRET REDIRECT_URI STATE_JSON CALLBACK
      exchanges the code, validates the ID token (signature, iss, aud,
      nonce, at_hash) with Authlib, calls userinfo and, when a refresh
      token came, refreshes; prints what it got.
"""
import json
import sys

import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, jwt
from authlib.oidc.core import CodeIDToken

SCOPE = "openid email profile offline_access"


def session(client_id, secret, redirect):
    return OAuth2Session(client_id, secret, scope=SCOPE, redirect_uri=redirect,
                         code_challenge_method="S256")


def start(meta, client_id, secret, redirect):
    verifier = generate_token(48)
    nonce = generate_token(20)
    url, state = session(client_id, secret, redirect).create_authorization_url(
        meta["authorization_endpoint"], code_verifier=verifier, nonce=nonce)
    return {"url": url, "state": state, "nonce": nonce, "verifier": verifier}


def finish(meta, client_id, secret, redirect, saved, callback):
    sess = session(client_id, secret, redirect)
    token = sess.fetch_token(meta["token_endpoint"], authorization_response=callback,
                             state=saved["state"], code_verifier=saved["verifier"])
    keys = JsonWebKey.import_key_set(requests.get(meta["jwks_uri"], timeout=10).json())
    claims = jwt.decode(token["id_token"], keys, claims_cls=CodeIDToken,
                        claims_options={"iss": {"essential": True, "values": [meta["issuer"]]}},
                        claims_params={"nonce": saved["nonce"], "client_id": client_id,
                                       "access_token": token["access_token"]})
    claims.validate()
    info = sess.get(meta["userinfo_endpoint"], timeout=10).json()
    out = {"scope": token.get("scope"), "refresh_token": "refresh_token" in token,
           "sub": claims["sub"], "userinfo_sub": info["sub"], "email": info.get("email"),
           "alg": claims.header["alg"], "kid": claims.header.get("kid")}
    if "refresh_token" in token:
        new = sess.refresh_token(meta["token_endpoint"], refresh_token=token["refresh_token"])
        out["refreshed"] = "access_token" in new
    return out


def main():
    step, issuer, client_id, secret, redirect = sys.argv[1:6]
    meta = requests.get(issuer + "/.well-known/openid-configuration", timeout=10).json()
    if step == "start":
        out = start(meta, client_id, secret, redirect)
    else:
        out = finish(meta, client_id, secret, redirect, json.loads(sys.argv[6]), sys.argv[7])
    print(json.dumps(out))


if __name__ == "__main__":
    main()
