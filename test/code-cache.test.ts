// dist/server.js runs the server bundle with V8's code cache (server/src/server-loader.ts): a session
// without a usable cache saves one when it exits, the next session starts from it, and a cache that
// is corrupt, a directory that cannot be written or KUBE_NETLENS_CODE_CACHE=off never keeps the
// server from starting and answering. Each case starts the built server over stdio, as an editor
// does, with its own cache directory (KUBE_NETLENS_CACHE_DIR), and reads what the loader says on
// stderr with KNL_TRACE.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const SERVER = path.resolve(__dirname, '..', 'dist', 'server.js');
const built = existsSync(SERVER) && existsSync(path.join(path.dirname(SERVER), 'server-main.js'));

/** Start the server, initialize it, shut it down; what it wrote on stderr, its exit code and its
 * answer to initialize. */
async function session(
  env: Record<string, string>,
  nodeOptions: string[] = [],
): Promise<{ stderr: string; code: number | null; name?: string }> {
  const child = spawn(process.execPath, [...nodeOptions, SERVER, '--stdio'], {
    env: { ...process.env, KNL_TRACE: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const connection = createMessageConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  connection.onRequest(() => null);
  connection.onNotification(() => undefined);
  connection.listen();
  const init = (await connection.sendRequest('initialize', {
    processId: null,
    rootUri: null,
    capabilities: {},
  })) as {
    serverInfo?: { name: string };
  };
  await connection.sendRequest('shutdown');
  connection.sendNotification('exit');
  const code = await exited;
  connection.dispose();
  return { stderr, code, name: init.serverInfo?.name };
}

/** Runs `fn` with a new temporary directory, removed afterwards whatever happens. */
async function inTempDir(prefix: string, fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function cacheFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.cache')) : [];
}

test(
  'a session saves the compiled code at exit and the next one starts from it',
  { skip: !built && 'not built' },
  async () => {
    await inTempDir('knl-code-cache-', async (dir) => {
      const first = await session({ KUBE_NETLENS_CACHE_DIR: dir });
      assert.equal(first.name, 'kube-netlens');
      assert.equal(first.code, 0);
      assert.match(first.stderr, /code cache: none/);
      assert.match(first.stderr, /code cache: saved /);
      const [file] = cacheFiles(dir);
      assert.ok(file, 'a cache file');
      assert.match(
        file,
        new RegExp(`^server-[0-9a-f]{16}-${process.version.replace(/\./g, '\\.')}-${process.arch}\\.cache$`),
      );
      const second = await session({ KUBE_NETLENS_CACHE_DIR: dir });
      assert.equal(second.name, 'kube-netlens');
      assert.match(second.stderr, /code cache: used /);
      // (a cache that was used is not written again)
      assert.doesNotMatch(second.stderr, /code cache: saved/);
    });
  },
);

test(
  'a corrupt cache is rejected, the server starts as usual and writes a good one',
  { skip: !built && 'not built' },
  async () => {
    await inTempDir('knl-code-cache-', async (dir) => {
      await session({ KUBE_NETLENS_CACHE_DIR: dir });
      const [file] = cacheFiles(dir);
      const garbage = Buffer.alloc(4096, 0x5a);
      writeFileSync(path.join(dir, file), garbage);
      const broken = await session({ KUBE_NETLENS_CACHE_DIR: dir });
      assert.equal(broken.name, 'kube-netlens');
      assert.equal(broken.code, 0);
      assert.match(broken.stderr, /code cache: rejected /);
      assert.notDeepEqual(readFileSync(path.join(dir, file)), garbage);
      assert.match((await session({ KUBE_NETLENS_CACHE_DIR: dir })).stderr, /code cache: used /);
    });
  },
);

test(
  'a server started with a heap limit and one started without keep a cache each, and each uses its own',
  { skip: !built && 'not built' },
  async () => {
    await inTempDir('knl-code-cache-', async (dir) => {
      const limited = ['--max-old-space-size=512'];
      await session({ KUBE_NETLENS_CACHE_DIR: dir });
      const first = await session({ KUBE_NETLENS_CACHE_DIR: dir }, limited);
      // (V8 would reject the other one's cache: this one makes its own instead of overwriting it)
      assert.match(first.stderr, /code cache: none/);
      assert.match(first.stderr, /code cache: saved /);
      const files = cacheFiles(dir);
      assert.equal(files.length, 2, files.join(', '));
      assert.ok(
        files.some((f) => /^server-[0-9a-f]{16}-[0-9a-f]{8}-v/.test(f)),
        files.join(', '),
      );
      assert.match((await session({ KUBE_NETLENS_CACHE_DIR: dir })).stderr, /code cache: used /);
      assert.match((await session({ KUBE_NETLENS_CACHE_DIR: dir }, limited)).stderr, /code cache: used /);
    });
  },
);

test(
  'the caches of older builds for the same Node are removed, those of another Node are kept',
  { skip: !built && 'not built' },
  async () => {
    await inTempDir('knl-code-cache-', async (dir) => {
      const older = `server-0000000000000000-${process.version}-${process.arch}.cache`;
      const otherNode = `server-0000000000000000-v0.0.0-${process.arch}.cache`;
      writeFileSync(path.join(dir, older), 'old');
      writeFileSync(path.join(dir, otherNode), 'other');
      await session({ KUBE_NETLENS_CACHE_DIR: dir });
      const files = cacheFiles(dir);
      assert.ok(!files.includes(older), 'the older build of this Node is gone');
      assert.ok(files.includes(otherNode), "another Node's cache is kept");
      assert.equal(files.length, 2);
    });
  },
);

test(
  'a cache directory that cannot be made, or the cache turned off: the server works without one',
  { skip: !built && 'not built' },
  async () => {
    await inTempDir('knl-code-cache-', async (dir) => {
      // (a directory under a regular file cannot be made)
      const file = path.join(dir, 'a-file');
      writeFileSync(file, '');
      const blocked = await session({ KUBE_NETLENS_CACHE_DIR: path.join(file, 'cache') });
      assert.equal(blocked.name, 'kube-netlens');
      assert.equal(blocked.code, 0);
      assert.match(blocked.stderr, /code cache: not saved: /);
      const off = await session({
        KUBE_NETLENS_CACHE_DIR: path.join(dir, 'off'),
        KUBE_NETLENS_CODE_CACHE: 'off',
      });
      assert.equal(off.name, 'kube-netlens');
      assert.equal(off.code, 0);
      assert.deepEqual(cacheFiles(path.join(dir, 'off')), []);
    });
  },
);

test(
  'without a chosen directory the cache goes to the per-user cache directory (XDG_CACHE_HOME, else ~/.cache)',
  { skip: (!built && 'not built') || (process.platform !== 'linux' && 'Linux locations') },
  async () => {
    await inTempDir('knl-code-cache-home-', async (home) => {
      const env = { HOME: home, KUBE_NETLENS_CACHE_DIR: '', XDG_CACHE_HOME: '' };
      await session(env);
      assert.equal(cacheFiles(path.join(home, '.cache', 'kube-netlens')).length, 1);
      // a relative XDG_CACHE_HOME is not a place (the specification says to ignore it)
      await session({ ...env, XDG_CACHE_HOME: 'relative' });
      assert.equal(existsSync(path.join(home, 'relative')), false);
      await session({ ...env, XDG_CACHE_HOME: path.join(home, 'xdg') });
      assert.equal(cacheFiles(path.join(home, 'xdg', 'kube-netlens')).length, 1);
    });
  },
);
