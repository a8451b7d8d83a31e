// idpctl's command line itself: every command and subcommand takes --help
// and --json, refuses what it does not know with exit code 2 and one line
// that names it, and changes nothing when it refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { idpctl, psql, unique } from './lib.mjs';

const COMMANDS = {
  migrate: null,
  keys: ['generate', 'rotate', 'retire', 'list', 'import', 'export'],
  org: ['add', 'list', 'import', 'require-mfa'],
  user: ['add', 'passwd', 'disable', 'enable', 'show', 'delete', 'list', 'import', 'convert-keycloak',
    'mfa-reset'],
  client: ['add', 'list', 'show', 'remove', 'secret', 'apply', 'approve', 'reject'],
  iat: ['create', 'list', 'revoke'],
  consent: ['list', 'revoke'],
  scope: ['list', 'requests', 'request', 'approve', 'reject'],
  member: ['add', 'remove', 'list'],
  audit: ['list'],
};

function everyCommand() {
  const out = [];
  for (const [group, subs] of Object.entries(COMMANDS)) {
    if (subs === null) out.push([group]);
    else for (const s of subs) out.push([group, s]);
  }
  return out;
}

function refused(r, pattern, what) {
  assert.equal(r.status, 2, `${what}: exit ${r.status}, stderr ${r.stderr}`);
  assert.equal(r.stdout, '', `${what}: nothing on stdout`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `${what}: one line, got ${r.stderr}`);
  assert.match(lines[0], /^idpctl: /);
  assert.match(lines[0], pattern, what);
}

test('an unknown command or global option is refused, named, exit 2', () => {
  refused(idpctl(['frobnicate']), /unknown command frobnicate/, 'command');
  refused(idpctl(['--frobnicate', 'migrate']), /unknown option --frobnicate/, 'option');
  refused(idpctl(['--config']), /--config needs a value/, '--config without FILE');
  const none = idpctl([]);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /^usage: idpctl/);
  const help = idpctl(['--help']);
  assert.equal(help.status, 0);
  for (const group of Object.keys(COMMANDS)) assert.match(help.stdout, new RegExp(`^  ${group}\\b`, 'm'));
  assert.match(idpctl(['--version']).stdout, /^idpctl \d+\.\d+/);
});

test('an unknown subcommand is refused and named, for every group', () => {
  for (const [group, subs] of Object.entries(COMMANDS)) {
    if (subs === null) continue;
    refused(idpctl([group, 'frobnicate']), new RegExp(`${group}: unknown subcommand frobnicate`),
      `${group} frobnicate`);
    const bare = idpctl([group]);
    assert.equal(bare.status, 2, `${group} without a subcommand`);
    assert.match(bare.stdout, new RegExp(`^usage: idpctl ${group}`));
  }
});

test('every command takes --help (exit 0, its usage on stdout)', () => {
  for (const cmd of everyCommand()) {
    for (const where of ['end', 'start']) {
      const args = where === 'end' ? [...cmd, '--help'] : [cmd[0], '--help', ...cmd.slice(1)];
      if (where === 'start' && cmd.length === 1) continue;
      const r = idpctl(args);
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^usage: idpctl ${cmd[0]}`), args.join(' '));
    }
  }
});

test('every command refuses an unknown option, names it, and changes nothing', () => {
  const before = psql(`SELECT (SELECT count(*) FROM signing_keys) || '/' ||
    (SELECT count(*) FROM clients) || '/' || (SELECT count(*) FROM users)`);
  for (const cmd of everyCommand()) {
    refused(idpctl([...cmd, 'x', '--no-such-option']), new RegExp(`${cmd.join(' ')}: unknown option --no-such-option`),
      cmd.join(' '));
    refused(idpctl([...cmd, '--no-such=1']), /unknown option --no-such=1/, `${cmd.join(' ')} --no-such=1`);
  }
  assert.equal(psql(`SELECT (SELECT count(*) FROM signing_keys) || '/' ||
    (SELECT count(*) FROM clients) || '/' || (SELECT count(*) FROM users)`), before);
});

test('options without their value and extra operands are refused and named', () => {
  refused(idpctl(['org', 'add', 'x', '--name']), /org add: --name needs a value/, '--name at the end');
  refused(idpctl(['keys', 'generate', '--alg']), /keys generate: --alg needs a value/, '--alg');
  refused(idpctl(['keys', 'generate', '--alg', 'HS256']), /--alg must be RS256, ES256, PS256 or EdDSA/, 'HS256');
  refused(idpctl(['user', 'list', '--limit', '0']), /--limit must be 1-100000/, '--limit 0');
  refused(idpctl(['org', 'list', 'extra']), /org list: unexpected argument extra/, 'org list extra');
  refused(idpctl(['keys', 'list', 'extra']), /keys list: unexpected argument extra/, 'keys list extra');
  refused(idpctl(['migrate', 'extra']), /migrate: unexpected argument extra/, 'migrate extra');
  refused(idpctl(['client', 'show', 'a', 'b']), /client show: unexpected argument b/, 'show a b');
  refused(idpctl(['consent', 'revoke', 'someone']), /USERNAME and CLIENT_ID are required/, 'revoke');
  refused(idpctl(['iat', 'revoke', 'seven']), /iat revoke: ID must be a number/, 'iat revoke seven');
  refused(idpctl(['user', 'add', 'x1', '--name', 'X', '--password']), /never taken from the command line/,
    '--password');
  refused(idpctl(['client', 'approve', 'a', 'b']), /client approve: unexpected argument b/, 'approve a b');
  refused(idpctl(['client', 'reject', 'a']), /client reject: --reason is required/, 'reject without reason');
  refused(idpctl(['client', 'approve', 'a', '--as']), /--as needs a value/, 'approve --as');
  refused(idpctl(['scope', 'approve', '1', '2']), /scope approve: unexpected argument 2/, 'scope approve 1 2');
  refused(idpctl(['member', 'add', 'a', 'b', 'c', 'd']), /member add: unexpected argument d/, 'member add 4');
  refused(idpctl(['member', 'list', '--org']), /--org needs a value/, 'member list --org');
  refused(idpctl(['iat', 'create', '--auto-approve=yes']), /auto-approve/, '--auto-approve=yes');
});

test('options come before or after operands, --name=VALUE or --name VALUE, --json anywhere', () => {
  const code = unique('opd.test');
  const a = idpctl(['org', 'add', '--kind=local_agency', code, '--name', 'Dinas Uji']);
  assert.equal(a.status, 0, a.stderr);
  const c = idpctl(['org', 'add', code, '--name=Dinas Uji Dua', '--kind', 'local_agency', '--json']);
  assert.equal(c.status, 0, c.stderr);
  assert.deepEqual(c.json, { code, created: false });
  const list = idpctl(['--json', 'org', 'list']).json.organisations;
  assert.equal(list.find((o) => o.code === code).name, 'Dinas Uji Dua');
  assert.ok(idpctl(['org', 'list', '--json']).json.organisations.some((o) => o.code === code));
  // "--" ends the options: what follows is an operand, here one too many.
  refused(idpctl(['org', 'list', '--', '--json']), /unexpected argument --json/, 'org list -- --json');
});
