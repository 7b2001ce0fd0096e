// Code caches for benches that alternate two builds of the server (--vs). A server keeps V8's
// compiled code of its bundle in a cache file and removes the files of other builds when it saves its
// own (server/src/server-loader.ts): two builds run in turn from one cache directory removed each
// other's file, so every run compiled from scratch, unlike a user's editor, where one build finds its
// cache from the session before. Each build here gets a directory of its own, filled by one untimed
// run before the timed ones.

import os from 'node:os';
import path from 'node:path';

/** The environment of build `k` of `count` alternating ones: its own cache directory when there are
 * two or more, else the process's (the user's own cache, as an editor would use it). */
export function cacheEnv(k, count, env = process.env) {
  if (count < 2) return env;
  const dir = path.join(os.tmpdir(), 'kube-netlens-bench-cache', String.fromCharCode(65 + k));
  return { ...env, KUBE_NETLENS_CACHE_DIR: dir };
}

export const CACHE_NOTE =
  'each build has its own code-cache directory, filled by one untimed run first (see scripts/bench-cache.mjs)';
