// The listing and the first run: when the language server starts (client/src/kube-content.ts), what the
// extension manifest promises (package.json: engines, walkthrough, commands, packaged files), and that
// the runtime dependencies run on the Node version the README and `engines` name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { NETWORKING_KINDS, holdsNetworkingResource, syntaxErrorsOwner } from '../client/src/kube-content';
import { COVERED_KINDS, WORKLOAD_KINDS } from '../server/src/model/resource';
import { GATEWAY_API_KINDS } from '../server/src/model/gateway';
import { updateReadme } from '../scripts/readme-tables';

const root = path.join(__dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

test('the server starts on YAML with a networking resource (any indentation, List items, quotes, comments)', () => {
  const starts = {
    ingress: 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n',
    'service, quoted kind, comment': 'apiVersion: v1\nkind: "Service" # front\nmetadata:\n  name: web\n',
    'second document': 'apiVersion: apps/v1\nkind: Deployment\n---\napiVersion: v1\nkind: Service\n',
    'List item':
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: networking.k8s.io/v1\n  kind: NetworkPolicy\n',
    httproute: 'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n',
    cilium: "apiVersion: cilium.io/v2\nkind: 'CiliumNetworkPolicy'\n",
    'TLS Secret': 'apiVersion: v1\nkind: Secret\ntype: kubernetes.io/tls\n',
    'CRLF line ends': 'apiVersion: v1\r\nkind: Service\r\n',
  };
  for (const [what, text] of Object.entries(starts)) assert.equal(holdsNetworkingResource(text), true, what);
});

test('the server does not start on other YAML', () => {
  const waits = {
    'GitHub workflow':
      'name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n',
    'compose file': 'services:\n  web:\n    image: nginx\n    ports: ["80:80"]\n',
    'Helm values': 'service:\n  type: ClusterIP\n  port: 80\ningress:\n  enabled: false\n',
    OpenAPI: 'openapi: 3.0.0\ninfo:\n  title: shop\npaths: {}\n',
    'a Deployment alone': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n',
    'an Opaque Secret': 'apiVersion: v1\nkind: Secret\ntype: Opaque\n',
    'a kind without apiVersion': 'kind: Service\nname: web\n',
    'a kind that only starts with a networking name': 'apiVersion: example.com/v1\nkind: ServiceMonitor\n',
    empty: '',
  };
  for (const [what, text] of Object.entries(waits)) assert.equal(holdsNetworkingResource(text), false, what);
});

test('every networking kind the checker covers starts the server', () => {
  const networking = [...COVERED_KINDS].filter(
    (k) => !WORKLOAD_KINDS.has(k) && k !== 'Namespace' && k !== 'Secret',
  );
  const missing = [...networking, ...GATEWAY_API_KINDS].filter((k) => !NETWORKING_KINDS.includes(k));
  assert.deepEqual(missing, [], 'add these kinds to NETWORKING_KINDS in client/src/kube-content.ts');
  for (const kind of NETWORKING_KINDS)
    assert.equal(holdsNetworkingResource(`apiVersion: x/v1\nkind: ${kind}\n`), true, kind);
});

test('the manifest can be published: no private flag, activation on YAML and commands only, engines agree', () => {
  assert.ok(
    !('private' in pkg) || pkg.private === false,
    'vsce and the registries need "private" absent or false',
  );
  assert.deepEqual(
    pkg.activationEvents.filter(
      (e: string) => e === '*' || e === 'onStartupFinished' || e.startsWith('workspaceContains'),
    ),
    [],
  );
  assert.ok(pkg.activationEvents.includes('onLanguage:yaml'));
  // code-server 4.100.3 (VS Code 1.100) is what the e2e test runs; @types/vscode must not promise more
  assert.equal(pkg.engines.vscode, '^1.100.0');
  assert.equal(pkg.devDependencies['@types/vscode'], pkg.engines.vscode);
  assert.equal(pkg.engines.node, '>=20.18.1');
  // the README states the same floor wherever it names a Node version
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const named = [...readme.matchAll(/Node (\d+(?:\.\d+)*)/g)].map((m) => m[1]);
  assert.ok(named.includes('20.18.1'), 'the README names Node 20.18.1');
  assert.deepEqual(
    named.filter((v) => v !== '20.18.1' && v !== '22'),
    [],
    'the README names no other Node floor (22 only for the schema sources)',
  );
  for (const field of [
    'publisher',
    'displayName',
    'description',
    'icon',
    'license',
    'homepage',
    'repository',
    'bugs',
    'galleryBanner',
    'categories',
    'keywords',
  ])
    assert.ok(pkg[field], field);
  assert.ok(existsSync(path.join(root, pkg.icon)));
  const repo = pkg.repository.url.replace(/\.git$/, '');
  assert.ok(
    pkg.homepage.startsWith(repo) && pkg.bugs.url.startsWith(repo),
    'homepage and bugs point into the repository',
  );
  // the extension ships bundles: no runtime dependency may be a kubernetes-models package (Node 22+)
  assert.deepEqual(
    Object.keys(pkg.dependencies).filter((d) => /kubernetes-models/.test(d)),
    [],
  );
  // coexistence with redhat.vscode-yaml: no YAML schema association of our own (theirs would run twice)
  assert.equal(pkg.contributes.yamlValidation, undefined);
  assert.equal(pkg.contributes.jsonValidation, undefined);
});

test('every runtime dependency (the whole production tree) runs on the lowest Node that engines admits', () => {
  const semver = createRequire(path.join(root, 'node_modules', 'vscode-languageclient', 'package.json'))(
    'semver',
  );
  const lowest = semver.minVersion(pkg.engines.node).version;
  const out = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
    cwd: root,
    encoding: 'utf8',
  });
  const dirs = [
    ...new Set(
      out
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && l !== root),
    ),
  ];
  assert.ok(dirs.length >= Object.keys(pkg.dependencies).length, `npm ls listed ${dirs.length} packages`);
  const refuse = dirs
    .map((d) => JSON.parse(readFileSync(path.join(d, 'package.json'), 'utf8')))
    .filter((p) => p.engines?.node && !semver.satisfies(lowest, p.engines.node))
    .map((p) => `${p.name}@${p.version} needs node ${p.engines.node}`);
  assert.deepEqual(refuse, [], `engines.node is ${pkg.engines.node}`);
});

test('npm ci admits the lowest Node that engines admits: no package of the lock (dev included) asks for more', () => {
  const semver = createRequire(path.join(root, 'node_modules', 'vscode-languageclient', 'package.json'))(
    'semver',
  );
  const lowest = semver.minVersion(pkg.engines.node).version;
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
  };
  const entries = Object.entries(lock.packages).filter(([where]) => where !== '');
  assert.ok(entries.length > 100, `the lock lists ${entries.length} packages`);
  const refuse = entries
    .filter(([, p]) => {
      const node = Array.isArray(p.engines) ? undefined : p.engines?.node;
      return node !== undefined && !semver.satisfies(lowest, node);
    })
    .map(
      ([where, p]) =>
        `${where.replace(/^.*node_modules\//, '')}@${p.version} needs node ${JSON.stringify(p.engines)}`,
    );
  assert.deepEqual(refuse, [], `engines.node is ${pkg.engines.node} (lowest ${lowest})`);
  // the schema generator's sources (Node >= 22) are a separate, opt-in install
  for (const name of ['kubernetes-models', '@kubernetes-models/gateway-api', '@kubernetes-models/cilium'])
    assert.equal(pkg.devDependencies[name], undefined, `${name} belongs to scripts/schema-sources`);
});

test('the walkthrough: six steps, media and sample in the package, every command link contributed', () => {
  const [walk] = pkg.contributes.walkthroughs;
  assert.deepEqual(
    walk.steps.map((s: { title: string }) => s.title),
    [
      'Open a sample with mistakes',
      'See the problems',
      'Apply the migration fix',
      'Open the route preview',
      'Test a URL',
      'Open reachability',
    ],
  );
  const contributed = new Set(pkg.contributes.commands.map((c: { command: string }) => c.command));
  for (const step of walk.steps) {
    for (const m of step.description.matchAll(/\(command:([\w.]+)(?:\?([^)]*))?\)/g)) {
      if (m[1].startsWith('workbench.')) continue;
      assert.ok(contributed.has(m[1]), `${step.id}: command ${m[1]} is not contributed`);
      if (m[2])
        for (const arg of JSON.parse(decodeURIComponent(m[2])))
          assert.ok(contributed.has(arg), `${step.id}: argument ${arg}`);
    }
    for (const e of step.completionEvents ?? [])
      if (e.startsWith('onCommand:') && !e.startsWith('onCommand:workbench.'))
        assert.ok(contributed.has(e.slice('onCommand:'.length)), e);
    assert.ok(existsSync(path.join(root, step.media.markdown)), step.media.markdown);
  }
  // the sample's mistakes are what the walkthrough's text says
  const sample = readFileSync(path.join(root, 'media/walkthrough/sample-shop.yaml'), 'utf8');
  assert.ok(holdsNetworkingResource(sample));
  assert.match(sample, /^apiVersion: extensions\/v1beta1$/m);
  assert.match(sample, /app: store-front/);
});

test('vsce packages the walkthrough, the bundles, the icon and the changelog, and nothing else', async () => {
  const vsce = require('@vscode/vsce') as {
    listFiles(o: { cwd: string; dependencies: boolean }): Promise<string[]>;
  };
  const files = (await vsce.listFiles({ cwd: root, dependencies: false }))
    .map((f) => f.replace(/\\/g, '/'))
    .sort();
  for (const f of [
    'package.json',
    'README.md',
    'CHANGELOG.md',
    'LICENSE',
    pkg.icon,
    'dist/extension.js',
    'dist/language-client.js',
    'dist/server.js',
    'dist/server-main.js',
    'dist/parse-thread.js',
    'media/walkthrough/sample-shop.yaml',
  ]) {
    assert.ok(files.includes(f), `${f} is not packaged (.vscodeignore)`);
  }
  for (const step of pkg.contributes.walkthroughs[0].steps)
    assert.ok(files.includes(step.media.markdown), step.media.markdown);
  const unexpected = files.filter(
    (f) =>
      !/^(package\.json|README\.md|CHANGELOG\.md|LICENSE|images\/icon\.png|dist\/[\w.-]+\.(js|css|ttf)|syntaxes\/.*|media\/walkthrough\/.*)$/.test(
        f,
      ),
  );
  assert.deepEqual(unexpected, []);
});

test('README.md: the commands and settings tables are generated from package.json', () => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  assert.equal(
    updateReadme(readme, pkg),
    readme,
    'the README tables are out of date: run `npm run docs:readme`',
  );
});

test('README.md opens for users: install first, every image in the repository, no npx for an unpublished CLI', () => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const headings = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
  assert.equal(headings[0], 'Install');
  assert.ok(
    headings.indexOf('Developing') > headings.indexOf('The command line, for CI'),
    'the developer section comes after the user part',
  );
  assert.doesNotMatch(readme, /npx kube-netlens/);
  // the developer section keeps its two commands: set up and run on a fresh machine, and run the tests
  assert.match(readme, /```sh\nnpm ci && npm start\n```/);
  assert.match(readme, /```sh\nnpm test\n```/);
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
  assert.ok(images.length >= 5, `${images.length} images`);
  for (const img of images) {
    assert.ok(!/^https?:/.test(img), `${img}: relative, so that vsce points it at the repository`);
    assert.ok(existsSync(path.join(root, img)), `${img} does not exist`);
  }
});

test('YAML syntax errors are reported once: left to redhat.vscode-yaml when it is installed, unless the user chose', () => {
  assert.equal(syntaxErrorsOwner(undefined, false), 'report');
  assert.equal(syntaxErrorsOwner(undefined, true), 'leave');
  assert.equal(syntaxErrorsOwner('report', true), 'report');
  assert.equal(syntaxErrorsOwner('leave', false), 'leave');
  assert.equal(syntaxErrorsOwner('bogus', true), 'leave');
});
