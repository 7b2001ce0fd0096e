// The built command-line checker, run as a user would run it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  closeSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT } from './support/lsp-client';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const SEED = path.join('test', 'fixtures', 'seed');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('check prints file:line:col severity rule-id message and exits 1 on errors', () => {
  const r = run('check', path.join(SEED, '01-single-path.yaml'));
  assert.equal(r.code, 1);
  assert.equal(
    r.out,
    [
      'test/fixtures/seed/01-single-path.yaml:1:13 error ingress-legacy-api Ingress extensions/v1beta1 is no longer served: removed in Kubernetes 1.22; use networking.k8s.io/v1',
      'test/fixtures/seed/01-single-path.yaml:7:5 hint ingress-rule-no-host This rule has no host, so it matches requests for every host name',
      'test/fixtures/seed/01-single-path.yaml:11:24 warning ingress-backend-service-missing Service "test" is not defined in namespace "default" in this workspace',
      '1 file(s) checked: 1 error(s), 1 warning(s), 0 information, 1 hint(s)',
      '',
    ].join('\n'),
  );
});

test('a folder is searched for YAML files; cross-file findings (Secret type) come out', () => {
  const r = run('check', SEED);
  assert.equal(r.code, 1);
  assert.match(
    r.out,
    /05-tls\.yaml:9:7 warning ingress-tls-secret-type Secret "testsecret" is used for TLS by Ingress "no-rules-map"/,
  );
  // 01 and 02 both define Ingress default/test-ingress, 03 and 04 Ingress default/test: each copy is reported
  assert.match(
    r.out,
    /02-single-service\.yaml:4:9 information resource-duplicate Ingress default\/test-ingress is defined twice in this workspace: the checks of each file use the copy nearest to it \(this one for this file\)/,
  );
  assert.match(r.out, /^5 file\(s\) checked: 7 error\(s\), 8 warning\(s\), 5 information, 1 hint\(s\)$/m);
});

test('a valid file exits 0 (the information that its Ingress is served by the retired ingress-nginx included)', () => {
  const r = run('check', 'test/fixtures/diagnostics/valid-networking.yaml');
  assert.equal(r.code, 0);
  assert.equal(
    r.out,
    'test/fixtures/diagnostics/valid-networking.yaml:70:21 information ingress-nginx-retired ingress-nginx (class nginx) is retired: no releases or security fixes after March 2026; migrate this Ingress to the Gateway API\n' +
      '1 file(s) checked: 0 error(s), 0 warning(s), 1 information, 0 hint(s)\n',
  );
});

test('--rule turns a rule off or changes its severity; --kubernetes-version changes removals', () => {
  const r = run(
    'check',
    path.join(SEED, '01-single-path.yaml'),
    '--rule',
    'ingress-rule-no-host=off',
    '--rule',
    'ingress-backend-service-missing=information',
    '--kubernetes-version',
    '1.21',
  );
  assert.equal(r.code, 0);
  assert.match(
    r.out,
    /1:13 warning ingress-legacy-api Ingress extensions\/v1beta1 is deprecated and removed in Kubernetes 1\.22/,
  );
  assert.doesNotMatch(r.out, /ingress-rule-no-host/);
  assert.match(r.out, /11:24 information ingress-backend-service-missing Service "test" is not defined/);
});

test('--format json gives findings with positions and fix titles', () => {
  const r = run('check', path.join(SEED, '05-tls.yaml'), '--format', 'json');
  assert.equal(r.code, 1);
  const j = JSON.parse(r.out);
  assert.equal(j.version, 1);
  assert.deepEqual(j.summary, { files: 1, errors: 3 });
  const legacy = j.findings.find((f: { rule: string }) => f.rule === 'ingress-legacy-api');
  assert.deepEqual(
    {
      line: legacy.line,
      column: legacy.column,
      endLine: legacy.endLine,
      endColumn: legacy.endColumn,
      severity: legacy.severity,
      fixes: legacy.fixes,
    },
    {
      line: 11,
      column: 13,
      endLine: 11,
      endColumn: 31,
      severity: 'error',
      fixes: ['Migrate this Ingress to networking.k8s.io/v1'],
    },
  );
});

test('--format sarif is SARIF 2.1.0 with rules, help links and exact regions', () => {
  const r = run('check', path.join(SEED, '02-single-service.yaml'), '--format', 'sarif');
  const s = JSON.parse(r.out);
  assert.equal(s.version, '2.1.0');
  const run0 = s.runs[0];
  assert.equal(run0.tool.driver.name, 'kube-netlens');
  const rule = run0.tool.driver.rules.find((x: { id: string }) => x.id === 'ingress-legacy-api');
  assert.match(rule.helpUri, /#ingress-legacy-api$/);
  assert.deepEqual(
    run0.results.map((x: { ruleId: string; level: string }) => `${x.ruleId} ${x.level}`),
    ['ingress-legacy-api error', 'ingress-backend-service-missing warning'],
  );
  const res = run0.results[0];
  assert.equal(res.ruleId, 'ingress-legacy-api');
  assert.equal(res.level, 'error');
  assert.equal(run0.tool.driver.rules[res.ruleIndex].id, 'ingress-legacy-api');
  assert.deepEqual(res.locations[0].physicalLocation.region, {
    startLine: 1,
    startColumn: 13,
    endLine: 1,
    endColumn: 31,
  });
  assert.equal(
    res.locations[0].physicalLocation.artifactLocation.uri,
    'test/fixtures/seed/02-single-service.yaml',
  );
});

test('bad arguments and unreadable files: a clear message, exit 2, no stack trace', () => {
  for (const [args, msg] of [
    [['check'], /no files or folders given/],
    [
      ['check', 'x.yaml', '--format', 'xml'],
      /--format must be text, json, sarif or markdown for check \(got "xml"\)/,
    ],
    [['check', 'does-not-exist.yaml'], /cannot read does-not-exist\.yaml: no such file or folder/],
    [['lint', 'x'], /unknown command "lint"/],
    [['check', 'x.yaml', '--kubernetes-version', 'latest'], /--kubernetes-version must look like 1\.29/],
  ] as [string[], RegExp][]) {
    const r = run(...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, msg);
    assert.doesNotMatch(r.err, /\n\s+at /);
  }
});

test('invalid YAML is reported with its file and position', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'knl-cli-'));
  const f = path.join(dir, 'broken.yaml');
  writeFileSync(f, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n   bad: indent\n');
  const r = run('check', f);
  assert.equal(r.code, 1);
  assert.match(
    r.out,
    new RegExp(`${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:\\d+ error yaml-syntax YAML syntax error: `),
  );
});

test('--ingress-controller-namespace/-labels choose the controller that netpol-ingress-controller-blocked checks', () => {
  const fixture = path.join('test', 'fixtures', 'cli', 'traefik-controller.yaml');
  const blocked = (ctrl: string) =>
    `${fixture}:61:3 warning netpol-ingress-controller-blocked Ingress "web" routes to Service "web" (Deployment web, TCP 8080), but no NetworkPolicy selecting these pods admits the ingress controller (${ctrl}): the route exists but its traffic will be dropped\n`;
  const clean = '1 file(s) checked: 0 error(s), 0 warning(s), 0 information, 0 hint(s)\n';

  // the default controller (ingress-nginx) is not admitted by the policy
  assert.equal(
    run('check', fixture).out,
    blocked('namespace ingress-nginx, pods app.kubernetes.io/name=ingress-nginx') +
      '1 file(s) checked: 0 error(s), 1 warning(s), 0 information, 0 hint(s)\n',
  );
  // the controller the policy admits: no finding
  const admitted = run(
    'check',
    fixture,
    '--ingress-controller-namespace',
    'traefik',
    '--ingress-controller-labels',
    'app=traefik,app.kubernetes.io/part-of=traefik',
  );
  assert.equal(admitted.code, 0);
  assert.equal(admitted.out, clean);
  // right namespace, pods the policy does not select: still blocked, and the message names them
  assert.match(
    run('check', fixture, '--ingress-controller-namespace=traefik', '--ingress-controller-labels=app=other')
      .out,
    new RegExp(blocked('namespace traefik, pods app=other').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
  );
  // "" means every pod of the namespace, which the workspace cannot rule out
  assert.equal(
    run('check', fixture, '--ingress-controller-namespace', 'traefik', '--ingress-controller-labels', '').out,
    clean,
  );
  // only the namespace: the default pod labels are kept, and the policy's podSelector key is not among them
  assert.equal(run('check', fixture, '--ingress-controller-namespace', 'traefik').out, clean);
});

test('malformed --ingress-controller-labels and -namespace: a usage error, exit 2', () => {
  const fixture = path.join('test', 'fixtures', 'cli', 'traefik-controller.yaml');
  for (const [args, msg] of [
    [
      ['--ingress-controller-labels', 'app'],
      /--ingress-controller-labels takes k=v,k2=v2 \(got "app": "app" is not key=value\)/,
    ],
    [['--ingress-controller-labels', 'app=web,,tier=x'], /"" is not key=value/],
    [['--ingress-controller-labels', '=web'], /"=web" is not key=value/],
    [['--ingress-controller-labels', 'bad key=web'], /"bad key" is not a valid label key/],
    [['--ingress-controller-labels', 'app=has space'], /"has space" is not a valid value for label app/],
    [['--ingress-controller-labels', 'app=a,app=b'], /label app is given twice/],
    [
      ['--ingress-controller-namespace', 'Ingress_NGINX'],
      /--ingress-controller-namespace must be a namespace name/,
    ],
    [['--ingress-controller-namespace'], /--ingress-controller-namespace needs a value/],
  ] as [string[], RegExp][]) {
    const r = run('check', fixture, ...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.err, msg);
    // one line for the mistake, one pointing at the usage (not the whole usage)
    assert.match(r.err, /^kube-netlens: [^\n]+\nRun "kube-netlens check --help" for the usage\.\n$/);
    assert.doesNotMatch(r.err, /\n\s+at /);
  }
});

// ---------------------------------------------------------------------------------------------------
// A CLI that survives any folder

const INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
spec:
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
`;
const WEB_SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n';

/** A folder whose only manifests are an Ingress and (through a link to a file outside it) its Service,
 * next to every kind of entry that is not a readable regular file. */
function hostileFolder(): { root: string; ws: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'knl-cli-hostile-'));
  chmodSync(root, 0o755);
  const ws = path.join(root, 'ws');
  mkdirSync(path.join(root, 'shared'));
  mkdirSync(ws);
  writeFileSync(path.join(ws, 'ingress.yaml'), INGRESS);
  writeFileSync(path.join(root, 'shared', 'web.yaml'), WEB_SERVICE);
  symlinkSync('../shared/web.yaml', path.join(ws, 'web-service.yaml'));
  symlinkSync('nowhere.yaml', path.join(ws, 'dangling.yaml'));
  symlinkSync('self.yaml', path.join(ws, 'self.yaml'));
  symlinkSync('loop-b.yaml', path.join(ws, 'loop-a.yaml'));
  symlinkSync('loop-a.yaml', path.join(ws, 'loop-b.yaml'));
  execFileSync('mkfifo', [path.join(ws, 'fifo.yaml')]);
  symlinkSync('/dev/zero', path.join(ws, 'zero.yaml'));
  mkdirSync(path.join(ws, 'sub'));
  symlinkSync('..', path.join(ws, 'sub', 'up'));
  return { root, ws };
}

const HOSTILE_LINES = (ws: string) => [
  `kube-netlens: skipped ${ws}/dangling.yaml: dangling symbolic link (its target nowhere.yaml does not exist)`,
  `kube-netlens: skipped ${ws}/fifo.yaml: a FIFO (named pipe), not a regular file`,
  `kube-netlens: skipped ${ws}/loop-a.yaml: symbolic link loop (it leads back to itself, directly or through other links)`,
  `kube-netlens: skipped ${ws}/loop-b.yaml: symbolic link loop (it leads back to itself, directly or through other links)`,
  `kube-netlens: skipped ${ws}/self.yaml: symbolic link loop (it leads back to itself, directly or through other links)`,
  `kube-netlens: skipped ${ws}/sub/up: symbolic link to a folder that contains it (a loop)`,
  `kube-netlens: skipped ${ws}/zero.yaml: a character device, not a regular file`,
];

test('check over a folder of dangling, looping and special entries: one line each on stderr, the rest checked, exit 0', () => {
  const { ws } = hostileFolder();
  const r = run('check', ws);
  // the Service behind the link is found: no ingress-backend-service-missing
  assert.equal(
    r.out,
    '2 file(s) checked (7 skipped, see above): 0 error(s), 0 warning(s), 0 information, 0 hint(s)\n',
  );
  assert.equal(r.err, HOSTILE_LINES(ws).join('\n') + '\n');
  assert.equal(r.code, 0);
});

test('skipped entries do not hide findings: errors still give exit 1; route, reach and matrix go on too', () => {
  const { ws } = hostileFolder();
  writeFileSync(
    path.join(ws, 'legacy.yaml'),
    'apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: old\nspec:\n  backend:\n    serviceName: web\n    servicePort: 80\n',
  );
  const r = run('check', ws, '--format', 'json');
  assert.equal(r.code, 1);
  const j = JSON.parse(r.out);
  assert.deepEqual(
    j.findings.map((f: { rule: string }) => f.rule),
    ['ingress-legacy-api'],
  );
  assert.deepEqual(
    j.skipped.map((s: { reason: string }) => s.reason),
    ['dangling-link', 'not-regular', 'link-loop', 'link-loop', 'link-loop', 'link-loop', 'not-regular'],
  );
  const sarif = JSON.parse(run('check', ws, '--format', 'sarif').out);
  assert.equal(sarif.runs[0].invocations[0].toolExecutionNotifications.length, 7);
  unlinkLegacy(ws);
  const route = run('route', ws, '--url', 'http://shop.example.com/');
  assert.equal(route.code, 0, route.err);
  assert.equal(route.err, HOSTILE_LINES(ws).join('\n') + '\n');
  assert.match(route.out, /Service default\/web/);
});

function unlinkLegacy(ws: string): void {
  spawnSync('rm', [path.join(ws, 'legacy.yaml')]);
}

test('a path named on the command line that cannot be read: its line, the other paths checked, exit 2 unless errors are found', () => {
  const { ws } = hostileFolder();
  const r = run(
    'check',
    path.join(ws, 'dangling.yaml'),
    path.join(ws, 'ingress.yaml'),
    path.join(ws, 'web-service.yaml'),
  );
  assert.equal(
    r.err,
    `kube-netlens: skipped ${ws}/dangling.yaml: dangling symbolic link (its target nowhere.yaml does not exist)\n`,
  );
  assert.equal(
    r.out,
    '2 file(s) checked (1 skipped, see above): 0 error(s), 0 warning(s), 0 information, 0 hint(s)\n',
  );
  assert.equal(r.code, 2);
  const withErrors = run('check', path.join(ws, 'missing.yaml'), path.join(SEED, '01-single-path.yaml'));
  assert.equal(withErrors.code, 1);
  assert.match(withErrors.err, /^kube-netlens: cannot read .*missing\.yaml: no such file or folder\n$/);
  assert.match(withErrors.out, /1 error\(s\)/);
});

test('unreadable file and folder: one line each, the rest checked (run as an unprivileged user when the tests run as root)', (t) => {
  const { root, ws } = hostileFolder();
  mkdirSync(path.join(ws, 'locked'));
  writeFileSync(path.join(ws, 'locked', 'svc.yaml'), WEB_SERVICE);
  writeFileSync(path.join(ws, 'secret.yaml'), WEB_SERVICE);
  chmodSync(path.join(ws, 'locked'), 0o000);
  chmodSync(path.join(ws, 'secret.yaml'), 0o000);
  for (const d of [root, ws, path.join(root, 'shared')]) chmodSync(d, 0o755);
  const asRoot = process.getuid?.() === 0;
  // root reads a mode-000 file anyway: run the CLI as "nobody", for whom the modes hold
  const r = spawnSync(process.execPath, [CLI, 'check', ws], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60000,
    ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'EPERM') {
    t.skip('cannot run the CLI as an unprivileged user here, and this user reads mode-000 files');
    return;
  }
  const lines = HOSTILE_LINES(ws);
  assert.equal(
    r.stderr,
    [
      ...lines.slice(0, 2),
      `kube-netlens: cannot read folder ${ws}/locked: permission denied`,
      ...lines.slice(2, 4),
      `kube-netlens: cannot read ${ws}/secret.yaml: permission denied`,
      ...lines.slice(4),
    ].join('\n') + '\n',
  );
  assert.equal(
    r.stdout,
    '2 file(s) checked (9 skipped, see above): 0 error(s), 0 warning(s), 0 information, 0 hint(s)\n',
  );
  assert.equal(r.status, 0);
});

test('--max-file-size: larger files are skipped with one line (every command); a bad value is a usage error', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'knl-cli-size-'));
  writeFileSync(path.join(dir, 'web.yaml'), WEB_SERVICE);
  writeFileSync(path.join(dir, 'big.yaml'), WEB_SERVICE + '# padding\n'.repeat(500));
  const r = run('check', dir, '--max-file-size', '0.0025');
  assert.equal(r.err, `kube-netlens: skipped ${dir}/big.yaml: 5 KB is over the 3 KB size limit\n`);
  assert.equal(
    r.out,
    '1 file(s) checked (1 skipped, see above): 0 error(s), 0 warning(s), 0 information, 0 hint(s)\n',
  );
  assert.equal(r.code, 0);
  // the default is 5 MB, as in the editor: a 6 MB file is skipped without the option
  writeFileSync(path.join(dir, 'big.yaml'), WEB_SERVICE + '#'.repeat(6 * 1024 * 1024) + '\n');
  assert.match(run('check', dir).err, /skipped .*big\.yaml: 6\.0 MB is over the 5 MB size limit/);
  assert.equal(run('check', dir, '--max-file-size=7').err, '');
  assert.match(
    run('matrix', dir, '--max-file-size', '1').err,
    /skipped .*big\.yaml: 6\.0 MB is over the 1 MB size limit/,
  );
  for (const v of ['0', '-1', 'big', '']) {
    const bad = run('check', dir, '--max-file-size', v);
    assert.equal(bad.code, 2, v);
    assert.match(bad.err, /--max-file-size takes a positive number of megabytes/);
  }
});

// ---------------------------------------------------------------------------------------------------
// Output that is safe to print

const HOSTILE_NAME = 'evil\x1b]0;pwned\x07\u202egnp.exe\x9b2J';

test('text output shows control and bidi characters of manifests as escapes; JSON and SARIF stay valid JSON', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'knl-cli-esc-'));
  const f = path.join(dir, 'evil.yaml');
  writeFileSync(
    f,
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${JSON.stringify(HOSTILE_NAME)}\nspec:\n  ports:\n  - port: 80\n`,
  );
  const r = run('check', f);
  assert.doesNotMatch(r.out, /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
  assert.match(
    r.out,
    /Service name "evil\\x1b\]0;pwned\\x07\\u\{202e\}gnp\.exe\\x9b2J" is not a DNS-1035 label/,
  );
  for (const format of ['json', 'sarif']) {
    const out = run('check', f, '--format', format).out;
    assert.doesNotMatch(out, /[\x00-\x09\x0b-\x1f]/, format);
    const messages =
      format === 'json'
        ? JSON.parse(out).findings.map((x: { message: string }) => x.message)
        : JSON.parse(out).runs[0].results.map((x: { message: { text: string } }) => x.message.text);
    assert.ok(
      messages.some((m: string) => m.includes(HOSTILE_NAME)),
      `${format} keeps the original string`,
    );
  }
});

test('route and matrix text escape names too; matrix --markdown never turns a name into a link, HTML or a column', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'knl-cli-md-'));
  const pod = (name: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${JSON.stringify(name)}\n  namespace: ns\nspec:\n  containers:\n  - name: c\n    image: x\n    ports:\n    - containerPort: 80\n---\n`;
  const LINK = '[x](javascript:alert(1))';
  writeFileSync(
    path.join(dir, 'pods.yaml'),
    pod(HOSTILE_NAME) + pod(LINK) + pod('a|b<img src=x onerror=alert(1)>`c`'),
  );
  const text = run('matrix', dir, '--port', '80');
  assert.equal(text.code, 0, text.err);
  assert.doesNotMatch(text.out, /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]/);
  assert.match(text.out, /ns\/evil\\x1b\]0;pwned\\x07\\u\{202e\}gnp\.exe\\x9b2J/);
  const md = run('matrix', dir, '--port', '80', '--markdown');
  assert.equal(md.code, 0, md.err);
  assert.ok(!md.out.includes('[x](javascript:'), md.out);
  assert.doesNotMatch(md.out, /(^|[^\\])</, 'no HTML tag opens');
  assert.ok(md.out.includes('ns/\\[x\\]\\(javascript:alert\\(1\\)\\)'), md.out);
  assert.ok(md.out.includes('ns/a\\|b\\<img src=x onerror=alert\\(1\\)\\>\\`c\\`'), md.out);
  // every table row still has one cell per workload plus the row header (no pipe leaked into a column)
  const rows = md.out.split('\n').filter((l) => l.startsWith('| '));
  for (const row of rows) assert.equal(row.replace(/\\\|/g, '').split('|').length - 2, 4, row);
  // route: an Ingress whose backend names the hostile Service
  const routeDir = mkdtempSync(path.join(tmpdir(), 'knl-cli-route-'));
  writeFileSync(
    path.join(routeDir, 'ingress.yaml'),
    INGRESS.replace('name: web', `name: ${JSON.stringify(HOSTILE_NAME)}`),
  );
  const route = run('route', routeDir, '--url', 'http://shop.example.com/');
  assert.doesNotMatch(route.out, /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]/);
  assert.match(
    route.out,
    /problem {2}Service "evil\\x1b\]0;pwned\\x07\\u\{202e\}gnp\.exe\\x9b2J" is not defined in namespace "default" in this workspace/,
  );
});

/** A folder whose check prints many warnings (no error): far more than a pipe holds. */
function manyWarnings(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'knl-cli-pipe-'));
  const docs: string[] = [];
  for (let i = 0; i < 1500; i++)
    docs.push(
      INGRESS.replace('name: shop', `name: shop-${i}`).replace(
        'host: shop.example.com',
        `host: shop-${i}.example.com`,
      ),
    );
  writeFileSync(path.join(dir, 'ingresses.yaml'), docs.join('---\n'));
  return dir;
}

test('a reader that goes away (check … | head -1): no stack trace, the exit status of the run (0: warnings only)', async () => {
  const dir = manyWarnings();
  const child = spawn(process.execPath, [CLI, 'check', dir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
  const first = await new Promise<string>((resolve) => {
    let got = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      got += d;
      if (got.includes('\n')) {
        // like head -1: the first line, then the pipe is closed while the CLI still writes
        child.stdout.destroy();
        resolve(got.slice(0, got.indexOf('\n')));
      }
    });
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  assert.match(first, /ingresses\.yaml:\d+:\d+ warning ingress-backend-service-missing/);
  assert.equal(err, '');
  assert.equal(code, 0);
});

test('output that cannot be written (a full disk): one line on stderr, exit 2', () => {
  const full = openSync('/dev/full', 'w');
  try {
    const r = spawnSync(process.execPath, [CLI, 'check', manyWarnings()], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', full, 'pipe'],
      timeout: 60000,
    });
    assert.equal(r.stderr, 'kube-netlens: cannot write the output: no space left on device\n');
    assert.equal(r.status, 2);
  } finally {
    closeSync(full);
  }
});

test('--version names the package version, also from a copy of dist/cli.js with no package.json near it', () => {
  const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  const dir = mkdtempSync(path.join(tmpdir(), 'knl-cli-copy-'));
  const copy = path.join(dir, 'kube-netlens.js');
  copyFileSync(CLI, copy);
  for (const cli of [CLI, copy]) {
    const r = spawnSync(process.execPath, [cli, '--version'], { encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.equal(r.stdout, `kube-netlens ${version}\n`);
  }
});
