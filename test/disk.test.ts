// The one disk loader (server/src/workspace/disk.ts), on a real folder full of entries that are not
// plain files: which files are listed and read, and which are skipped with which words. The CLI and the
// server's index both go through it, so the synchronous and the asynchronous runs must agree.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  DEFAULT_MAX_FILE_BYTES,
  describeSkip,
  isYamlName,
  listFiles,
  listFilesSync,
  readFileChecked,
  readFileSyncChecked,
  readListingSync,
  summarizeSkipped,
} from '../server/src/workspace/disk';
import type { DiskFs, Listing } from '../server/src/workspace/disk';

const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n';
let dir: string;
let outside: string;
/** Files made by single tests, kept out of the listed folder. */
let scratch: string;

function mkfifo(p: string): void {
  execFileSync('mkfifo', [p]);
}

before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'knl-disk-'));
  outside = mkdtempSync(path.join(os.tmpdir(), 'knl-disk-outside-'));
  scratch = mkdtempSync(path.join(os.tmpdir(), 'knl-disk-scratch-'));
  writeFileSync(path.join(dir, 'a.yaml'), SERVICE);
  writeFileSync(path.join(dir, 'notes.txt'), 'not yaml');
  writeFileSync(path.join(outside, 'svc.yaml'), SERVICE.replace('web', 'linked'));
  symlinkSync(path.join(outside, 'svc.yaml'), path.join(dir, 'linked.yaml'));
  symlinkSync('a.yaml', path.join(dir, 'same-as-a.yaml'));
  symlinkSync('nowhere.yaml', path.join(dir, 'dangling.yaml'));
  symlinkSync('nowhere', path.join(dir, 'dangling-other'));
  symlinkSync('self.yaml', path.join(dir, 'self.yaml'));
  symlinkSync('loop-b.yaml', path.join(dir, 'loop-a.yaml'));
  symlinkSync('loop-a.yaml', path.join(dir, 'loop-b.yaml'));
  mkfifo(path.join(dir, 'fifo.yaml'));
  symlinkSync('/dev/zero', path.join(dir, 'zero.yaml'));
  mkdirSync(path.join(dir, 'sub'));
  writeFileSync(path.join(dir, 'sub', 'b.yml'), SERVICE.replace('web', 'b'));
  symlinkSync('..', path.join(dir, 'sub', 'up'));
  symlinkSync(outside, path.join(dir, 'linked-folder'));
  mkdirSync(path.join(dir, 'node_modules'));
  writeFileSync(path.join(dir, 'node_modules', 'x.yaml'), SERVICE);
});

const rel = (p: string) => path.relative(dir, p);
const opts = { accept: isYamlName, skipFolder: (_rel: string, name: string) => name === 'node_modules' };

function shape(l: Listing) {
  return {
    files: l.files.map(rel),
    skipped: l.skipped.map((s) => `${rel(s.path)} ${s.reason}: ${s.detail}`),
  };
}

const EXPECTED = {
  files: ['a.yaml', 'linked-folder/svc.yaml', 'linked.yaml', 'same-as-a.yaml', 'sub/b.yml'],
  skipped: [
    'dangling.yaml dangling-link: dangling symbolic link (its target nowhere.yaml does not exist)',
    'fifo.yaml not-regular: a FIFO (named pipe), not a regular file',
    'loop-a.yaml link-loop: symbolic link loop (it leads back to itself, directly or through other links)',
    'loop-b.yaml link-loop: symbolic link loop (it leads back to itself, directly or through other links)',
    'self.yaml link-loop: symbolic link loop (it leads back to itself, directly or through other links)',
    'sub/up link-loop: symbolic link to a folder that contains it (a loop)',
    'zero.yaml not-regular: a character device, not a regular file',
  ],
};

test('listing follows links to files and folders and reports each bad entry once, in name order', () => {
  assert.deepEqual(shape(listFilesSync([dir], opts)), EXPECTED);
});

test('the asynchronous listing (the server) gives exactly what the synchronous one (the CLI) gives', async () => {
  assert.deepEqual(shape(await listFiles([dir], opts)), EXPECTED);
});

test('reading: each real file once (a link to a file read already is dropped); FIFO and /dev/zero never read', async () => {
  const { files } = listFilesSync([dir], opts);
  const { read, skipped } = readListingSync(files);
  assert.deepEqual(
    read.map((r) => rel(r.file)),
    ['a.yaml', 'linked-folder/svc.yaml', 'sub/b.yml'],
  );
  assert.match(read[1].text, /name: linked/);
  assert.deepEqual(skipped, []);
  // asked directly, a FIFO and a link to /dev/zero answer at once, sync and async
  for (const name of ['fifo.yaml', 'zero.yaml']) {
    const p = path.join(dir, name);
    const sync = readFileSyncChecked(p);
    const async_ = await readFileChecked(p);
    assert.equal(sync.ok, false);
    assert.deepEqual(async_, sync);
    if (!sync.ok) assert.equal(sync.skipped.reason, 'not-regular');
  }
});

test('paths named by the user: a missing one and a dangling link are reported, a non-YAML file is taken', () => {
  const l = listFilesSync(
    [path.join(dir, 'missing.yaml'), path.join(dir, 'dangling.yaml'), path.join(dir, 'notes.txt')],
    opts,
  );
  assert.deepEqual(l.files.map(rel), ['notes.txt']);
  assert.deepEqual(
    l.skipped.map(describeSkip).map((s) => s.replace(dir + path.sep, '')),
    [
      'cannot read missing.yaml: no such file or folder',
      'skipped dangling.yaml: dangling symbolic link (its target nowhere.yaml does not exist)',
    ],
  );
});

test('size is checked before reading: a file over the limit is never read; the default is 5 MB', async () => {
  assert.equal(DEFAULT_MAX_FILE_BYTES, 5 * 1024 * 1024);
  const big = path.join(scratch, 'big.yaml');
  writeFileSync(big, Buffer.alloc(2 * 1024 * 1024 + 1, 0x61));
  let reads = 0;
  const counting: DiskFs = {
    ...fs,
    readSync: (...a: Parameters<typeof fs.readSync>) => (reads++, fs.readSync(...a)),
  } as DiskFs;
  const r = readFileSyncChecked(big, { maxBytes: 1024 * 1024, fs: counting });
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(describeSkip(r.skipped), `skipped ${big}: 2.0 MB is over the 1 MB size limit`);
  assert.equal(reads, 0);
  const a = await readFileChecked(big, { maxBytes: 1024 * 1024 });
  assert.deepEqual(a, r);
});

test('a file that grows after its size was checked is read no further than the limit', () => {
  const big = path.join(scratch, 'grows.yaml');
  writeFileSync(big, Buffer.alloc(3 * 1024 * 1024, 0x61));
  // stat says the file is small (it was, a moment ago); the handle then finds more
  const smallStat = fs.statSync(path.join(dir, 'a.yaml'));
  let bytes = 0;
  const racing = {
    ...fs,
    statSync: () => smallStat,
    fstatSync: () => smallStat,
    readSync: (...a: Parameters<typeof fs.readSync>) => {
      const n = fs.readSync(...a);
      bytes += n;
      return n;
    },
  } as unknown as DiskFs;
  const r = readFileSyncChecked(big, { maxBytes: 1024 * 1024, fs: racing });
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.skipped.detail, 'more than 1 MB is over the 1 MB size limit');
  assert.ok(bytes <= 1024 * 1024 + 1, `read ${bytes} bytes`);
});

test('a file swapped for a FIFO between stat and open: the non-blocking open returns and fstat refuses it', async () => {
  const fifo = path.join(scratch, 'swapped.yaml');
  mkfifo(fifo);
  const regular = fs.statSync(path.join(dir, 'a.yaml'));
  const swapped = {
    ...fs,
    statSync: () => regular,
    promises: { ...fs.promises, stat: async () => regular },
  } as unknown as DiskFs;
  const sync = readFileSyncChecked(fifo, { fs: swapped });
  assert.deepEqual(sync.ok ? 'read' : sync.skipped.detail, 'a FIFO (named pipe), not a regular file');
  const async_ = await readFileChecked(fifo, { fs: swapped });
  assert.deepEqual(async_, sync);
});

test('permission denied on a file or a folder: reported with the path, the rest is listed and read', async () => {
  const denied = (p: string) =>
    Object.assign(new Error(`EACCES: permission denied, open '${p}'`), { code: 'EACCES' });
  const lockedDir = path.join(dir, 'sub');
  const lockedFile = path.join(dir, 'a.yaml');
  // Tests may run as root, for whom chmod 000 still reads: the file system answers EACCES here instead.
  const f = {
    ...fs,
    readdirSync: ((p: string, o: never) => {
      if (p === lockedDir) throw denied(p);
      return fs.readdirSync(p, o);
    }) as typeof fs.readdirSync,
    openSync: ((p: string, flags: number) => {
      if (p === lockedFile) throw denied(p);
      return fs.openSync(p, flags);
    }) as typeof fs.openSync,
  } as DiskFs;
  const l = listFilesSync([dir], opts, { fs: f });
  assert.deepEqual(l.files.map(rel), ['a.yaml', 'linked-folder/svc.yaml', 'linked.yaml', 'same-as-a.yaml']);
  assert.ok(
    l.skipped.some((s) => describeSkip(s) === `cannot read folder ${lockedDir}: permission denied`),
    l.skipped.map(describeSkip).join('\n'),
  );
  const { read, skipped } = readListingSync(l.files, { fs: f });
  // (same-as-a.yaml is a link to a.yaml: the fake refuses only the path a.yaml itself)
  assert.deepEqual(
    read.map((r) => rel(r.file)),
    ['linked-folder/svc.yaml', 'same-as-a.yaml'],
  );
  assert.deepEqual(skipped.map(describeSkip), [`cannot read ${lockedFile}: permission denied`]);
});

test('the server never waits forever on one entry: a read that does not answer gives up with a timeout', async () => {
  // stat answers at once; the open never does (a hung network mount)
  const hanging = {
    ...fs,
    promises: {
      ...fs.promises,
      stat: async (p: string) => fs.statSync(p),
      open: () => new Promise<never>(() => undefined),
    },
  } as unknown as DiskFs;
  const r = await readFileChecked(path.join(dir, 'a.yaml'), { fs: hanging, timeoutMs: 300 });
  assert.equal(r.ok, false);
  if (!r.ok)
    assert.equal(
      describeSkip(r.skipped),
      `cannot read ${path.join(dir, 'a.yaml')}: the file system did not answer within 300 ms (reading the file)`,
    );
});

test('a summary names the first entries and counts the others', () => {
  const skipped = listFilesSync([dir], opts).skipped;
  const s = summarizeSkipped(skipped, 2);
  assert.equal(
    s,
    `7 entries skipped: skipped ${path.join(dir, 'dangling.yaml')}: dangling symbolic link (its target nowhere.yaml does not exist); skipped ${path.join(dir, 'fifo.yaml')}: a FIFO (named pipe), not a regular file; and 5 more`,
  );
});
