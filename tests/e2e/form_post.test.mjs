// Response modes (OAuth 2.0 Multiple Response Type Encoding Practices
// §2.1, OAuth 2.0 Form Post Response Mode): query, the default, and
// form_post, a page whose form posts the response to the redirect URI,
// submitted by a script the CSP allows by hash or by its button. Success
// and error responses alike, with iss (RFC 9207), after an SSO session, a
// login page and a consent page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { formInputs, http, pkce } from './lib.mjs';
import { authorizeUrl, callback, exchange, makeClient, makeUser, newJar, signIn, submitLogin } from './flow.mjs';
import { iat, reg } from './rp.mjs';

const SCRIPT = 'document.getElementById("response").submit();';
const HASH = createHash('sha256').update(SCRIPT).digest('base64');

// The form of a form_post page: its action and fields.
function posted(r) {
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.match(r.headers.get('content-type'), /^text\/html/);
  const form = /<form id="response" method="post" action="([^"]+)">([\s\S]*?)<\/form>/.exec(r.text);
  assert.ok(form, 'the page has the response form');
  const fields = {};
  for (const m of form[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[m[1]] = m[2].replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>')
      .replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  }
  return { action: form[1].replace(/&amp;/g, '&'), fields, html: r.text };
}

function checkPage(r, redirect) {
  const csp = r.headers.get('content-security-policy');
  assert.ok(csp.includes(`script-src 'sha256-${HASH}'`), csp);
  assert.ok(csp.includes(`form-action 'self' ${new URL(redirect).origin}`), csp);
  assert.ok(!csp.includes('unsafe-inline'));
  assert.equal(r.headers.get('cache-control'), 'no-store');
  assert.equal(r.headers.get('x-frame-options'), 'DENY');
  assert.ok(r.text.includes(`<script>${SCRIPT}</script>`));
  assert.match(r.text, /<button type="submit"[^>]*>[^<]+<\/button>/, 'a button for browsers without JavaScript');
}

test('discovery lists query and form_post', async () => {
  const d = (await http('GET', '/.well-known/openid-configuration')).json;
  assert.deepEqual(d.response_modes_supported, ['query', 'form_post']);
});

test('form_post with an SSO session: the code, state and iss posted to the redirect URI; the code works', async () => {
  const client = makeClient();
  const user = makeUser();
  const jar = newJar();
  await signIn(jar, client, user);
  const { verifier, challenge } = pkce();
  const r = await http('GET', authorizeUrl(client, { response_mode: 'form_post', state: 'st "<&>\'',
    code_challenge: challenge, code_challenge_method: 'S256' }), { jar });
  checkPage(r, client.redirect);
  const { action, fields } = posted(r);
  assert.equal(action, client.redirect);
  assert.deepEqual(Object.keys(fields).sort(), ['code', 'iss', 'state']);
  assert.equal(fields.state, 'st "<&>\'');
  assert.equal(fields.iss, process.env.IDP_URL);
  assert.equal(r.location, null, 'no redirect: nothing in a URL');
  const t = await exchange(client, fields.code, verifier);
  assert.equal(t.status, 200, t.text);
});

test('form_post after the login page, and after a consent page', async () => {
  const client = makeClient({ redirects: ['https://rp.example.go.id/cb?tenant=badung'] });
  const user = makeUser();
  const jar = newJar();
  const page = await http('GET', authorizeUrl(client, { response_mode: 'form_post' }), { jar });
  assert.equal(page.status, 200);
  const r = await submitLogin(jar, page, user.username, user.password);
  checkPage(r, client.redirect);
  const { action, fields } = posted(r);
  assert.equal(action, 'https://rp.example.go.id/cb?tenant=badung', 'the redirect URI as registered');
  assert.ok(fields.code);
  // A third-party service: the consent page, then the form.
  const cb = 'https://mitra-post.example.go.id/cb';
  const reged = await reg({ client_name: `Mitra Form ${process.pid}`, redirect_uris: [cb] }, iat('1'));
  const tp = { id: reged.json.client_id, secret: reged.json.client_secret, redirect: cb };
  const consent = await http('GET', authorizeUrl(tp, { response_mode: 'form_post', scope: 'openid email' }), { jar });
  assert.equal(consent.status, 200);
  const done = await http('POST', '/consent', { jar, form: { ...formInputs(consent.text), decision: 'allow' } });
  checkPage(done, cb);
  assert.ok(posted(done).fields.code);
  const denied = await http('GET', authorizeUrl(tp, { response_mode: 'form_post', scope: 'openid email phone',
    state: 'st-deny' }), { jar });
  const no = await http('POST', '/consent', { jar, form: { ...formInputs(denied.text), decision: 'deny' } });
  const f = posted(no).fields;
  assert.equal(f.error, 'access_denied');
  assert.equal(f.state, 'st-deny');
  assert.equal(f.iss, process.env.IDP_URL);
});

test('errors in form_post mode are posted too: error, error_description, state, iss', async () => {
  const client = makeClient();
  const none = await http('GET', authorizeUrl(client, { response_mode: 'form_post', prompt: 'none',
    state: 'st-none' }));
  checkPage(none, client.redirect);
  const f = posted(none).fields;
  assert.equal(f.error, 'login_required');
  assert.equal(f.state, 'st-none');
  assert.equal(f.iss, process.env.IDP_URL);
  assert.ok(f.error_description);
  assert.equal(f.code, undefined);
  const scope = posted(await http('GET', authorizeUrl(client, { response_mode: 'form_post', scope: 'nothing.here' })));
  assert.equal(scope.fields.error, 'invalid_scope');
  const claims = posted(await http('GET', authorizeUrl(client, { response_mode: 'form_post', claims: '{' })));
  assert.equal(claims.fields.error, 'invalid_request');
  // In Bahasa Indonesia by default, in English when asked.
  const en = await http('GET', authorizeUrl(client, { response_mode: 'form_post', prompt: 'none', ui_locales: 'en' }));
  assert.match(en.text, /<html lang="en"/);
  assert.match(en.text, /Continue/);
});

test('query, explicit or by default; an unknown response_mode is invalid_request by query', async () => {
  const client = makeClient();
  const user = makeUser();
  const jar = newJar();
  const { params } = await signIn(jar, client, user, { response_mode: 'query' });
  assert.ok(params.code);
  for (const mode of ['fragment', 'form_post.jwt', 'FORM_POST', '']) {
    const r = await http('GET', authorizeUrl(client, { response_mode: mode, state: 'st-mode' }), { jar });
    assert.equal(r.status, 302, mode);
    const p = callback(r.location);
    assert.equal(p.error, 'invalid_request', mode);
    assert.match(p.error_description, /response_mode/);
    assert.equal(p.state, 'st-mode');
  }
});

test('before the redirect URI is known to be the client\'s, errors stay pages, whatever the mode', async () => {
  const client = makeClient();
  const r = await http('GET', authorizeUrl(client, { response_mode: 'form_post',
    redirect_uri: 'https://evil.example.com/cb' }), { headers: { accept: 'text/html' } });
  assert.equal(r.status, 400);
  assert.doesNotMatch(r.text, /<form id="response"/);
  assert.doesNotMatch(r.text, /action="https:\/\/evil/);
});

test('the restart link of an expired login page keeps the response mode and the claims request', async () => {
  const client = makeClient();
  const jar = newJar();
  const claims = JSON.stringify({ userinfo: { email: null } });
  const page = await http('GET', authorizeUrl(client, { response_mode: 'form_post', claims }), { jar });
  const f = formInputs(page.text);
  const { psql } = await import('./lib.mjs');
  psql(`UPDATE login_requests SET expires_at = now() - interval '1 minute'
    WHERE id_digest = decode('${createHash('sha256').update(f.login).digest('hex')}', 'hex')`);
  const stale = await http('GET', `/login?login=${f.login}`, { jar });
  const link = /href="(\/authorize\?[^"]+)"/.exec(stale.text);
  assert.ok(link, 'the page offers to start again');
  const q = new URLSearchParams(link[1].replace(/&amp;/g, '&').split('?')[1]);
  assert.equal(q.get('response_mode'), 'form_post');
  assert.deepEqual(JSON.parse(q.get('claims')), { userinfo: { email: null } });
});
