// Helpers for the browser suite: Debian's chromium driven by
// playwright-core, axe-core run inside each page, and the checks every
// page of the provider must pass at desktop and at phone size.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { chromium } from 'playwright-core';

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };
export const VIEWPORTS = [['desktop', DESKTOP], ['phone', PHONE]];

const axeSource = readFileSync(new URL('./node_modules/axe-core/axe.min.js',
  import.meta.url), 'utf8');

// The flags keep a headless chromium off the network this machine does
// not have (background services would try Google's hosts at start).
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
      '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

// A browser context (one cookie jar) at a viewport; CSP violations and
// page errors are collected so a test can assert there were none.
export async function context(browser, viewport = DESKTOP, locale = 'id-ID') {
  const ctx = await browser.newContext({ viewport, locale,
    isMobile: viewport.width < 600, hasTouch: viewport.width < 600 });
  ctx.problems = [];
  ctx.on('page', (p) => watch(ctx, p));
  return ctx;
}

function watch(ctx, page) {
  // A page answered with 4xx is logged as a console error by chromium;
  // that status is the test's to check. A failed stylesheet or image is a
  // problem.
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text()))
      ctx.problems.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.request().resourceType() !== 'document' && r.status() >= 400)
      ctx.problems.push(`${r.status()} for ${r.url()}`);
  });
  page.on('requestfailed', (r) => ctx.problems.push(`failed: ${r.url()}`));
  page.on('pageerror', (e) => ctx.problems.push(`pageerror: ${e.message}`));
}

export async function newPage(ctx) {
  const page = await ctx.newPage();
  return page;
}

// axe-core with the WCAG 2.2 AA rules and best practices: 0 violations.
// The script runs through the DevTools protocol, not as a page script, so
// the pages' CSP (no script at all) stays in force.
export async function axe(page, label) {
  await page.evaluate(axeSource);
  const res = await page.evaluate(() => globalThis.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
      'wcag22aa', 'best-practice'] },
    resultTypes: ['violations'],
  }));
  assert.ok(res.passes.length > 10, `axe ran on ${label}`);
  const v = res.violations.map((x) => `${x.id}: ${x.help} (${x.nodes.map((n) =>
    n.target.join(' ')).join(', ')})`);
  assert.deepEqual(v, [], `axe violations on ${label} (${page.url()})`);
}

// What a 390 px phone needs besides axe: nothing wider than the screen,
// and every control at least 24x24 CSS px (WCAG 2.2 target size).
export async function fitsPhone(page, label) {
  const r = await page.evaluate(() => {
    const wide = document.documentElement.scrollWidth;
    const small = [];
    for (const el of document.querySelectorAll('button, input:not([type=hidden]), select, textarea, a')) {
      const b = el.getBoundingClientRect();
      if (b.width === 0 && b.height === 0) continue;
      const inline = el.tagName === 'A' && getComputedStyle(el).display === 'inline'
        && el.closest('p, li, dd, td');
      if (!inline && (b.width < 24 || b.height < 24))
        small.push(`${el.tagName.toLowerCase()}#${el.id || el.name || el.textContent.trim().slice(0, 20)} ${Math.round(b.width)}x${Math.round(b.height)}`);
    }
    return { wide, small };
  });
  assert.ok(r.wide <= 390, `${label}: page is ${r.wide}px wide at 390px`);
  assert.deepEqual(r.small, [], `${label}: tap targets smaller than 24x24`);
}

// Both checks, and no console errors or CSP violations so far.
export async function checkPage(ctx, page, label) {
  await axe(page, label);
  const vp = page.viewportSize();
  if (vp.width <= 390) await fitsPhone(page, label);
  assert.deepEqual(ctx.problems, [], `${label}: console errors`);
}

// A relying party's landing page on loopback: records the callbacks it
// receives, so a test can follow a sign-in to its end in the browser.
export async function relyingParty() {
  const hits = [];
  const srv = createServer((req, res) => {
    hits.push(new URL(req.url, 'http://127.0.0.1'));
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!DOCTYPE html><html lang="id"><head><title>Layanan</title></head>'
      + '<body><main><h1>Layanan uji</h1></main></body></html>');
  });
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${srv.address().port}`;
  return { base, redirect: `${base}/callback`, hits,
    close: () => new Promise((r) => srv.close(r)) };
}
