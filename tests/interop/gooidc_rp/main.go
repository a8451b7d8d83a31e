// A relying party built on Go's github.com/coreos/go-oidc (Debian
// golang-github-coreos-go-oidc-dev 2.1) and golang.org/x/oauth2, used the
// way their examples show: discovery with oidc.NewProvider, an
// oauth2.Config on the provider's Endpoint (client_secret_basic, which
// oauth2 tries first), scopes openid profile email, state and nonce, the
// ID token checked by provider.Verifier, userinfo, a refresh through the
// TokenSource. PKCE S256 is added with oauth2.SetAuthURLParam, as this
// oauth2 release has no helper for it. Two steps, because a browser (the
// Node test) signs the person in between them:
//
//	gooidc_rp start  ISSUER CLIENT_ID SECRET REDIRECT_URI
//	    prints {"url", "state", "nonce", "verifier"}
//	gooidc_rp finish ISSUER CLIENT_ID SECRET REDIRECT_URI ALG SAVED CALLBACK
//	    checks state, exchanges the code, verifies the ID token (ALG the
//	    only algorithm allowed, "" for go-oidc's default, RS256) and its
//	    nonce and at_hash, calls userinfo, refreshes; prints what it got
//	gooidc_rp verify ISSUER CLIENT_ID ALG NONCE ID_TOKEN
//	    verifies one ID token as finish does; exit 1 with the reason
//	    when go-oidc rejects it
package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"

	oidc "github.com/coreos/go-oidc"
	"golang.org/x/oauth2"
)

type saved struct {
	URL      string `json:"url"`
	State    string `json:"state"`
	Nonce    string `json:"nonce"`
	Verifier string `json:"verifier"`
}

type result struct {
	Alg                string `json:"alg"`
	Scope              string `json:"scope"`
	Sub                string `json:"sub"`
	AtHash             bool   `json:"at_hash"`
	IDToken            string `json:"id_token"`
	UserinfoSub        string `json:"userinfo_sub"`
	Email              string `json:"email"`
	RefreshToken       bool   `json:"refresh_token"`
	Refreshed          bool   `json:"refreshed"`
	NewAccessToken     bool   `json:"new_access_token"`
	RefreshedIDTokenOK bool   `json:"refreshed_id_token_verified"`
	UserinfoAfter      string `json:"userinfo_sub_after_refresh"`
}

func random(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func config(p *oidc.Provider, id, secret, redirect string) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     id,
		ClientSecret: secret,
		Endpoint:     p.Endpoint(),
		RedirectURL:  redirect,
		Scopes:       []string{oidc.ScopeOpenID, "profile", "email"},
	}
}

func verifier(p *oidc.Provider, id, alg string) *oidc.IDTokenVerifier {
	c := &oidc.Config{ClientID: id}
	if alg != "" {
		c.SupportedSigningAlgs = []string{alg}
	}
	return p.Verifier(c)
}

// verify is the check of the go-oidc examples: the verifier (signature,
// iss, aud, exp, algorithm), then the nonce the application sent.
func verify(ctx context.Context, v *oidc.IDTokenVerifier, raw, nonce string) (*oidc.IDToken, error) {
	t, err := v.Verify(ctx, raw)
	if err != nil {
		return nil, err
	}
	if t.Nonce != nonce {
		return nil, fmt.Errorf("nonce %q, expected %q", t.Nonce, nonce)
	}
	return t, nil
}

func start(p *oidc.Provider, cfg *oauth2.Config) saved {
	s := saved{State: random(16), Nonce: random(16), Verifier: random(32)}
	sum := sha256.Sum256([]byte(s.Verifier))
	s.URL = cfg.AuthCodeURL(s.State, oidc.Nonce(s.Nonce),
		oauth2.SetAuthURLParam("code_challenge",
			base64.RawURLEncoding.EncodeToString(sum[:])),
		oauth2.SetAuthURLParam("code_challenge_method", "S256"))
	return s
}

func finish(ctx context.Context, p *oidc.Provider, cfg *oauth2.Config, alg string, s saved, callback string) (result, error) {
	var out result
	cb, err := url.Parse(callback)
	if err != nil {
		return out, err
	}
	q := cb.Query()
	if q.Get("state") != s.State {
		return out, errors.New("state did not match")
	}
	if e := q.Get("error"); e != "" {
		return out, fmt.Errorf("authorization error %s: %s", e, q.Get("error_description"))
	}
	tok, err := cfg.Exchange(ctx, q.Get("code"),
		oauth2.SetAuthURLParam("code_verifier", s.Verifier))
	if err != nil {
		return out, fmt.Errorf("exchange: %w", err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok {
		return out, errors.New("no id_token in the token response")
	}
	v := verifier(p, cfg.ClientID, alg)
	idt, err := verify(ctx, v, raw, s.Nonce)
	if err != nil {
		return out, fmt.Errorf("id token: %w", err)
	}
	out.Alg, out.Sub, out.IDToken = alg, idt.Subject, raw
	out.AtHash = idt.VerifyAccessToken(tok.AccessToken) == nil
	out.Scope, _ = tok.Extra("scope").(string)
	info, err := p.UserInfo(ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		return out, fmt.Errorf("userinfo: %w", err)
	}
	out.UserinfoSub, out.Email = info.Subject, info.Email
	out.RefreshToken = tok.RefreshToken != ""
	if !out.RefreshToken {
		return out, nil
	}
	return refresh(ctx, p, cfg, v, tok, s.Nonce, out)
}

// refresh restores a stored refresh token the way oauth2 documents it: a
// TokenSource on a token that has only the refresh token.
func refresh(ctx context.Context, p *oidc.Provider, cfg *oauth2.Config, v *oidc.IDTokenVerifier, old *oauth2.Token, nonce string, out result) (result, error) {
	ts := cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: old.RefreshToken})
	tok, err := ts.Token()
	if err != nil {
		return out, fmt.Errorf("refresh: %w", err)
	}
	out.Refreshed = tok.Valid()
	out.NewAccessToken = tok.AccessToken != old.AccessToken
	if raw, ok := tok.Extra("id_token").(string); ok {
		// OIDC Core §12.2: same subject; no nonce, or the original one.
		t, err := v.Verify(ctx, raw)
		if err != nil {
			return out, fmt.Errorf("refreshed id token: %w", err)
		}
		out.RefreshedIDTokenOK = t.Subject == out.Sub &&
			(t.Nonce == "" || t.Nonce == nonce)
	}
	info, err := p.UserInfo(ctx, ts)
	if err != nil {
		return out, fmt.Errorf("userinfo after refresh: %w", err)
	}
	out.UserinfoAfter = info.Subject
	return out, nil
}

func run(args []string) (interface{}, error) {
	if len(args) < 3 {
		return nil, errors.New("usage: gooidc_rp start|finish|verify ISSUER CLIENT_ID ...")
	}
	ctx := context.Background()
	p, err := oidc.NewProvider(ctx, args[1])
	if err != nil {
		return nil, err
	}
	switch {
	case args[0] == "start" && len(args) == 5:
		return start(p, config(p, args[2], args[3], args[4])), nil
	case args[0] == "finish" && len(args) == 8:
		var s saved
		if err := json.Unmarshal([]byte(args[6]), &s); err != nil {
			return nil, err
		}
		return finish(ctx, p, config(p, args[2], args[3], args[4]),
			args[5], s, args[7])
	case args[0] == "verify" && len(args) == 6:
		t, err := verify(ctx, verifier(p, args[2], args[3]), args[5], args[4])
		if err != nil {
			return nil, err
		}
		return map[string]string{"sub": t.Subject}, nil
	}
	return nil, errors.New("usage: gooidc_rp start|finish|verify ISSUER CLIENT_ID ...")
}

func main() {
	out, err := run(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "gooidc_rp:", err)
		os.Exit(1)
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "gooidc_rp:", err)
		os.Exit(1)
	}
}
