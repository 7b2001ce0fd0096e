// Entry point of dist/server.js: runs the server bundle (dist/server-main.js, built from main.ts) with
// V8's code cache. Compiling the 3 MB bundle, and then each function as it first runs (module
// initialisation, initialize's warm-up), is a large part of a fresh server's start. A session saves
// the code compiled so far when it exits, in a per-user cache directory; the next sessions start
// from it.
//
// The cache is only a shortcut: a missing, unreadable, stale or corrupt cache file means a normal
// compile (V8 checks its own version and flags and rejects what does not fit; the file's name holds
// a hash of the bundle's text, taken at build time, and Node's version and architecture), and a cache
// directory that cannot be written is left alone. KUBE_NETLENS_CODE_CACHE=off turns it off;
// KUBE_NETLENS_CACHE_DIR chooses the directory.

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { isMainThread } from 'node:worker_threads';
import { STARTING_GROWTH_FACTOR, youngGenerationSizedByUser } from './lsp/young-generation-flags';

/** Hash of dist/server-main.js's text, set by scripts/build.mjs. */
declare const KUBE_NETLENS_SERVER_BUNDLE_ID: string;

/** V8 takes a cache only under the flags it was made with, and lsp/young-generation.ts changes one at
 * run time (the young generation's growth factor, 1 until initialize's warm-up is done, 2 until the
 * cap is reached, then 1; the parser thread's start sets it to 2 again): the cache is compiled and
 * made with it at 1, the value young-generation.ts starts with (unless the size of the young
 * generation was given on the command line: then neither touches it). */
const flagsAsCompiled = () => {
  if (!youngGenerationSizedByUser())
    setFlagsFromString(`--semi-space-growth-factor=${STARTING_GROWTH_FACTOR}`);
};

const bundle = path.join(__dirname, 'server-main.js');
const trace = !!process.env.KNL_TRACE;

function note(message: string): void {
  // (stderr: stdout may be the protocol's stream)
  if (trace) process.stderr.write(`[kube-netlens] code cache: ${message}\n`);
}

/** '' for a server started with no Node or V8 options, else `-` and a hash of them: V8 rejects a cache
 * made under other flags (`--max-old-space-size` is one), so a server started with options (an
 * editor's heap limit) and one started without (a terminal, a bench) each keep a cache of their own
 * instead of rejecting and rewriting each other's. */
function flagsTag(): string {
  const options = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join('\0');
  return options === '' || options === '\0'
    ? ''
    : `-${createHash('sha256').update(options).digest('hex').slice(0, 8)}`;
}

/** The per-user cache directory of Kube NetLens (undefined when there is no home to put it in). */
function cacheDirectory(): string | undefined {
  const chosen = process.env.KUBE_NETLENS_CACHE_DIR;
  if (chosen) return chosen;
  const home = os.homedir();
  if (process.platform === 'win32') {
    const local = process.env.LOCALAPPDATA || (home && path.join(home, 'AppData', 'Local'));
    return local ? path.join(local, 'kube-netlens', 'Cache') : undefined;
  }
  if (process.platform === 'darwin')
    return home ? path.join(home, 'Library', 'Caches', 'kube-netlens') : undefined;
  const xdg = process.env.XDG_CACHE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : home ? path.join(home, '.cache') : undefined;
  return base ? path.join(base, 'kube-netlens') : undefined;
}

/** The bundle compiled (from the cache when there is a usable one), and a save of its compiled code at
 * exit when there was none. */
function compile(): vm.Script {
  // (a parser thread started with this file compiles without: the cache is the server's thread's)
  let dir: string | undefined;
  try {
    dir = process.env.KUBE_NETLENS_CODE_CACHE === 'off' || !isMainThread ? undefined : cacheDirectory();
  } catch {
    // (os.homedir() throws where the user has no home directory entry): no cache
  }
  const file =
    dir &&
    path.join(
      dir,
      `server-${KUBE_NETLENS_SERVER_BUNDLE_ID}${flagsTag()}-${process.version}-${process.arch}.cache`,
    );
  let cachedData: Buffer | undefined;
  if (file) {
    try {
      cachedData = fs.readFileSync(file);
    } catch {
      /* none yet, or unreadable: compiled as usual */
    }
  }
  // (the bundle is written inside the function Node's module loader wraps a module in)
  const source = fs.readFileSync(bundle, 'utf8');
  flagsAsCompiled();
  const script = new vm.Script(source, { filename: bundle, cachedData });
  const used = cachedData !== undefined && !script.cachedDataRejected;
  note(cachedData === undefined ? 'none' : used ? `used ${file}` : `rejected ${file}`);
  // at exit: by then the code the session ran is compiled
  if (file && !used) process.on('exit', () => save(script, dir!, file));
  return script;
}

// (its __filename is this file: a thread started with it, which main.ts does when the parser thread's
// own bundle is missing, goes through here too)
const main = compile().runInThisContext() as (...args: unknown[]) => void;
const module = { exports: {}, filename: __filename, id: __filename, loaded: false };
main.call(module.exports, module.exports, createRequire(bundle), module, __filename, __dirname);

/** Write the script's compiled code to `file` (through a temporary file, so that a reader never sees
 * half of it) and remove the caches of other builds for this Node (another editor's Node keeps its
 * own, and this build keeps those made under other options). Any failure leaves things as they were. */
function save(script: vm.Script, dir: string, file: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    flagsAsCompiled();
    const data = script.createCachedData();
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(temp, data);
    fs.renameSync(temp, file);
    // (this build's caches under other options are kept)
    const runtime = `-${process.version}-${process.arch}.cache`;
    const build = `server-${KUBE_NETLENS_SERVER_BUNDLE_ID}`;
    for (const other of fs.readdirSync(dir))
      if (other.startsWith('server-') && other.endsWith(runtime) && !other.startsWith(build))
        fs.rmSync(path.join(dir, other), { force: true });
    note(`saved ${file} (${Math.round(data.length / 1024)} KB)`);
  } catch (e) {
    try {
      fs.rmSync(temp, { force: true });
    } catch {
      /* left behind */
    }
    note(`not saved: ${e instanceof Error ? e.message : String(e)}`);
  }
}
