// The editor's workspace index on a folder full of entries that are not plain files (the same kinds
// the CLI test uses): the server follows symbolic links as the CLI does, so both find the Service
// defined through a link; bad entries get one log line; a FIFO announced by a file-watcher event does
// not hold up the updates after it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient, ROOT } from './support/lsp-client';

const CREATED = 1;

let root: string;
let ws: string;
let client: LspClient;

const service = (name: string) =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  ports:\n  - port: 80\n`;
const backend = (name: string) => [
  `      - path: /${name}`,
  '        pathType: Prefix',
  '        backend:',
  '          service:',
  `            name: ${name}`,
  '            port:',
  '              number: 80',
];
const INGRESS = [
  'apiVersion: networking.k8s.io/v1',
  'kind: Ingress',
  'metadata:',
  '  name: shop',
  'spec:',
  '  rules:',
  '  - host: shop.example.com',
  '    http:',
  '      paths:',
  ...backend('web'),
  ...backend('later'),
  '',
].join('\n');

const missing = (d: Diagnostic[]) =>
  d
    .filter((x) => x.code === 'ingress-backend-service-missing')
    .map((x) => /Service "([^"]+)"/.exec(String(x.message))![1])
    .sort();
const uri = (rel: string) => pathToFileURL(path.join(ws, rel)).toString();

before(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'knl-ws-disk-'));
  ws = path.join(root, 'ws');
  mkdirSync(ws);
  mkdirSync(path.join(root, 'shared'));
  writeFileSync(path.join(ws, 'ingress.yaml'), INGRESS);
  // the Service lives outside the folder and is linked in
  writeFileSync(path.join(root, 'shared', 'web.yaml'), service('web'));
  symlinkSync('../shared/web.yaml', path.join(ws, 'web-service.yaml'));
  symlinkSync('nowhere.yaml', path.join(ws, 'dangling.yaml'));
  symlinkSync('self.yaml', path.join(ws, 'self.yaml'));
  execFileSync('mkfifo', [path.join(ws, 'fifo.yaml')]);
  symlinkSync('/dev/zero', path.join(ws, 'zero.yaml'));
  mkdirSync(path.join(ws, 'sub'));
  symlinkSync('..', path.join(ws, 'sub', 'up'));
  client = await LspClient.start(
    {},
    {
      rootUri: pathToFileURL(ws).toString(),
      workspaceFolders: [{ uri: pathToFileURL(ws).toString(), name: 'ws' }],
    },
  );
});

after(async () => {
  await client.stop();
  rmSync(root, { recursive: true, force: true });
});

test('a Service defined in a symlinked file is found by the editor as by the CLI; one log line names the skipped entries', async () => {
  await client.waitFor(
    () => client.logs.some((l) => /indexed \d+ YAML files in/.test(l)),
    'the indexing log line',
  );
  const line = client.logs.filter((l) => /indexed \d+ YAML files in/.test(l));
  assert.equal(line.length, 1);
  assert.match(
    line[0],
    new RegExp(
      `indexed 2 YAML files in \\d+ ms; 5 entries skipped: skipped ${ws}/dangling\\.yaml: dangling symbolic link \\(its target nowhere\\.yaml does not exist\\); ` +
        `skipped ${ws}/fifo\\.yaml: a FIFO \\(named pipe\\), not a regular file; skipped ${ws}/self\\.yaml: symbolic link loop .*; ` +
        `skipped ${ws}/sub/up: symbolic link to a folder that contains it \\(a loop\\); skipped ${ws}/zero\\.yaml: a character device, not a regular file$`,
    ),
  );
  const ingress = uri('ingress.yaml');
  await client.open(ingress, INGRESS);
  const d = await client.diagnostics(ingress);
  assert.deepEqual(missing(d), ['later']);
  // the CLI over the same folder says the same
  const cli = spawnSync(
    process.execPath,
    [path.join(ROOT, 'dist', 'cli.js'), 'check', ws, '--format', 'json'],
    { encoding: 'utf8', timeout: 60000 },
  );
  const cliMissing = JSON.parse(cli.stdout)
    .findings.filter((f: { rule: string }) => f.rule === 'ingress-backend-service-missing')
    .map((f: { message: string }) => /Service "([^"]+)"/.exec(f.message)![1]);
  assert.deepEqual(cliMissing, ['later']);
});

test('a FIFO and a /dev/zero link announced by file events are skipped at once; the next event is handled', async () => {
  const ingress = uri('ingress.yaml');
  execFileSync('mkfifo', [path.join(ws, 'late-fifo.yaml')]);
  symlinkSync('/dev/zero', path.join(ws, 'late-zero.yaml'));
  await client.watchedFilesChanged([{ uri: uri('late-fifo.yaml'), type: CREATED }]);
  await client.watchedFilesChanged([{ uri: uri('late-zero.yaml'), type: CREATED }]);
  writeFileSync(path.join(ws, 'later.yaml'), service('later'));
  await client.watchedFilesChanged([{ uri: uri('later.yaml'), type: CREATED }]);
  // the index update behind the FIFO went through: the Service "later" is found
  await client.waitForDiagnostics(ingress, (d) => missing(d).length === 0, 20000);
  assert.ok(
    client.logs.some((l) =>
      l.endsWith(
        `index: 1 entry skipped: skipped ${ws}/late-fifo.yaml: a FIFO (named pipe), not a regular file`,
      ),
    ),
    client.logs.join('\n'),
  );
  assert.ok(
    client.logs.some((l) =>
      l.endsWith(
        `index: 1 entry skipped: skipped ${ws}/late-zero.yaml: a character device, not a regular file`,
      ),
    ),
    client.logs.join('\n'),
  );
});
