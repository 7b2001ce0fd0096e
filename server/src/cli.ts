// kube-netlens: the command-line tool. Same parser, model, rules and engine as the language server.

import { UsageError, parseMaxFileSize, setMaxFileMB } from './cli/common';
import { InputError } from './cli/engine-input';
import { printable } from './protocol/escape';
import { CHECK_USAGE, runCheck } from './cli/check';
import { ROUTE_USAGE, runRoute } from './cli/route';
import { REACH_USAGE, runReach } from './cli/reach';
import { MATRIX_USAGE, runMatrix } from './cli/matrix';
import { MIGRATE_USAGE, runMigrate } from './cli/migrate';
import { DIFF_USAGE, runDiff } from './cli/diff';
import { MIGRATE_ANP_USAGE, runMigrateAnp } from './cli/migrate-anp';
import { isParseWorker, runParseWorker, setParseWorkerEntry } from './cli/parse-workers';
import { closest } from './engine/edit-distance';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';

interface Command {
  usage: string;
  run(argv: string[]): number;
}

/** Subcommands; each lives in cli/<name>.ts. */
const COMMANDS: Record<string, Command> = {
  check: { usage: CHECK_USAGE, run: runCheck },
  route: { usage: ROUTE_USAGE, run: runRoute },
  reach: { usage: REACH_USAGE, run: runReach },
  matrix: { usage: MATRIX_USAGE, run: runMatrix },
  migrate: { usage: MIGRATE_USAGE, run: runMigrate },
  diff: { usage: DIFF_USAGE, run: runDiff },
  'migrate-anp': { usage: MIGRATE_ANP_USAGE, run: runMigrateAnp },
};

/** Output formats per command (`--format`); `--json` and `--markdown` are aliases where a command
 * has them. */
const FORMATS: Record<string, readonly string[]> = {
  check: ['text', 'json', 'sarif', 'markdown'],
  route: ['text', 'json', 'sarif', 'markdown'],
  reach: ['text', 'json', 'sarif', 'markdown'],
  matrix: ['text', 'json', 'markdown'],
  migrate: ['text', 'json', 'sarif', 'markdown'],
  diff: ['text', 'json', 'sarif', 'markdown'],
  'migrate-anp': ['text', 'json'],
};

/** Commands whose own option is `--format` (the others take `--json` / `--markdown`). */
const NATIVE_FORMAT = new Set(['check', 'diff']);

/** `--format X` for the commands whose own options are `--json` / `--markdown`: one spelling for every
 * command. A format a command cannot print is a usage error naming the ones it can. */
function normalizeFormat(command: string, argv: string[]): string[] {
  const formats = FORMATS[command] ?? ['text'];
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    let value: string | undefined;
    if (a === '--format') {
      if (i + 1 >= argv.length) throw new UsageError('--format needs a value');
      value = argv[++i];
    } else if (a.startsWith('--format=')) value = a.slice('--format='.length);
    else {
      if (NATIVE_FORMAT.has(command) && a === '--json') out.push('--format', 'json');
      else if (NATIVE_FORMAT.has(command) && a === '--markdown') out.push('--format', 'markdown');
      else out.push(a);
      continue;
    }
    if (!formats.includes(value)) {
      const allowed =
        formats.length === 1
          ? formats[0]
          : `${formats.slice(0, -1).join(', ')} or ${formats[formats.length - 1]}`;
      throw new UsageError(`--format must be ${allowed} for ${command} (got "${value}")`);
    }
    if (NATIVE_FORMAT.has(command)) out.push('--format', value);
    else if (value !== 'text') out.push(`--${value}`);
  }
  return out;
}

/** Set by the build (scripts/build.mjs); absent when the sources run through tsx. */
declare const KUBE_NETLENS_VERSION: string | undefined;

/** The version of the package this CLI belongs to: the build's, else package.json above the sources. */
function version(): string {
  if (typeof KUBE_NETLENS_VERSION === 'string') return KUBE_NETLENS_VERSION;
  for (let dir = __dirname, i = 0; i < 4; i++, dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!existsSync(file)) continue;
    try {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'kube-netlens' && pkg.version) return pkg.version;
    } catch {
      // not ours: look further up
    }
  }
  return 'unknown';
}

/** The command being run, for the hint of a usage error. */
let currentCommand: string | undefined;

function usage(): string {
  return `Usage:\n${Object.values(COMMANDS)
    .map((c) => '  ' + c.usage.replace(/\n/g, '\n  '))
    .join('\n\n')}

Every command takes --max-file-size MB (default: 5): larger files are skipped.
Every command takes --format (check, diff, route, reach and migrate: text, json, sarif, markdown;
matrix: text, json, markdown; migrate-anp: text, json); --json and --markdown are short for it. A path "-" reads YAML from stdin.
Entries that cannot be read inside a folder (dangling links, FIFOs, devices, files without permission,
files over the limit) get one line each on stderr and the rest is used.
Exit status (every command): 0 success (check: no error found; route: the URL is served; reach:
allowed), 1 the answer is negative (check: errors found; route: nothing serves the URL or the route
breaks; reach: denied), 2 the question could not be answered: bad usage (unknown option, command or
rule id, no YAML found), a file or folder named on the command line that cannot be read, or (route,
reach, matrix, migrate) invalid YAML. kube-netlens --version prints the version.`;
}

/** `--max-file-size MB` (or `--max-file-size=MB`) anywhere after the command, for every command. */
function takeMaxFileSize(argv: string[]): string[] {
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--max-file-size') {
      if (i + 1 >= argv.length) throw new UsageError('--max-file-size needs a value');
      setMaxFileMB(parseMaxFileSize(argv[++i])!);
    } else if (a.startsWith('--max-file-size='))
      setMaxFileMB(parseMaxFileSize(a.slice('--max-file-size='.length))!);
    else rest.push(a);
  }
  return rest;
}

// Output goes to pipes and files that can fail under us. A reader that went away (`check … | head -1`)
// is normal: stop writing and end with the status the run has. A full disk is an error: one line, exit 2.
let outputBroken = false;
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (outputBroken) return;
  outputBroken = true;
  if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') {
    process.exit(process.exitCode ?? 0);
  }
  const why = e.code === 'ENOSPC' ? 'no space left on device' : e.message;
  try {
    process.stderr.write(`kube-netlens: cannot write the output: ${why}\n`);
  } catch {
    // stderr is gone too: the exit status says it
  }
  process.exit(2);
});
process.stderr.on('error', () => {
  // nowhere left to say anything: the exit status speaks
});

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-V' || command === 'version') {
    process.stdout.write(`kube-netlens ${version()}\n`);
    return 0;
  }
  if (!command || command === '-h' || command === '--help') {
    process.stdout.write(usage() + '\n');
    return command ? 0 : 2;
  }
  const cmd = COMMANDS[command];
  if (!cmd) {
    const near = closest(command, Object.keys(COMMANDS));
    throw new UsageError(`unknown command "${command}"${near ? `; did you mean "${near}"?` : ''}`);
  }
  currentCommand = command;
  if (rest.includes('-h') || rest.includes('--help')) {
    process.stdout.write(cmd.usage + '\n');
    return 0;
  }
  if (rest.includes('--version')) {
    process.stdout.write(`kube-netlens ${version()}\n`);
    return 0;
  }
  return cmd.run(normalizeFormat(command, takeMaxFileSize(rest)));
}

// A run holds the tree of every file it reads until it ends, while the parser's own objects live for
// one file. V8 allocates the objects of an allocation site straight in the old generation once most
// of them have survived young collections ("pretenuring"); among so many surviving trees it did that
// for the parser's objects too, which then died in the old generation and made it grow to several
// times what was live (20,000 files: a peak of about 1,040 MB, 880 MB without pretenuring, and less
// CPU). The flag is read as V8 goes, for every thread of the process (the parse threads too).
setFlagsFromString('--no-allocation-site-pretenuring');

if (isParseWorker()) runParseWorker();
else {
  setParseWorkerEntry(__filename);
  run();
}

function run(): void {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      // one line saying what is wrong, one saying where the usage is (not the whole usage)
      const help = currentCommand ? `kube-netlens ${currentCommand} --help` : 'kube-netlens --help';
      process.stderr.write(`kube-netlens: ${printable(e.message)}\nRun "${help}" for the usage.\n`);
      process.exitCode = 2;
    } else if (e instanceof InputError) {
      process.stderr.write(`kube-netlens: ${printable(e.message)}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(
        `kube-netlens: internal error: ${printable(e instanceof Error ? e.message : String(e))}\n`,
      );
      process.exitCode = 2;
    }
  }
}
