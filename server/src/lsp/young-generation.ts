// Imported first by the server's entry points (main.ts, parse-thread.ts), before any other module
// allocates: keeps V8's young generation at its starting size instead of letting it grow to 2 x 16 MB.
//
// Parsing a large file allocates fast and most of what it allocates survives (the trees it keeps), so
// V8 doubles the young generation at each scavenge until it reaches its maximum: 28 MB of resident
// memory at the 10k-line bench file (peak 129 MB, 90-100 MB with this), and no faster: the scavenges
// of a small young generation stay in the CPU's caches, and the first check of that file took less
// CPU with it (about 440 instead of 600 ms in-process, at load 4).
//
// The maximum itself (--max-semi-space-size) is read only when the process starts, from its command
// line, which an editor other than ours writes (`node dist/server.js --stdio`); the growth factor is
// read at each growth, so setting it here takes effect. V8 sets it back to its lowest accepted value
// (2) whenever an isolate is created, which a worker thread does: the parser thread's entry imports
// this module too, setting it again once that thread runs. A young-generation size given on the
// command line (our VS Code client gives none) is left as given.

import { setFlagsFromString } from 'node:v8';

const SIZED_BY_USER = /^--(max|min)-semi-space-size\b|^--semi-space-growth-factor\b/;

if (!process.execArgv.some((a) => SIZED_BY_USER.test(a))) setFlagsFromString('--semi-space-growth-factor=1');
