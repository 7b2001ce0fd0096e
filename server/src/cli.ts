// kube-netlens: the command-line tool. Same parser, model, rules and engine as the language server.

import { UsageError, parseMaxFileSize, setMaxFileMB } from './cli/common';
import { InputError } from './cli/engine-input';
import { printable } from './protocol/escape';
import { CHECK_USAGE, runCheck } from './cli/check';
import { ROUTE_USAGE, runRoute } from './cli/route';
import { REACH_USAGE, runReach } from './cli/reach';
import { MATRIX_USAGE, runMatrix } from './cli/matrix';
import { MIGRATE_USAGE, runMigrate } from './cli/migrate';
import { isParseWorker, runParseWorker, setParseWorkerEntry } from './cli/parse-workers';

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
};

function usage(): string {
  return `Usage:\n${Object.values(COMMANDS).map((c) => '  ' + c.usage.replace(/\n/g, '\n  ')).join('\n\n')}

Every command takes --max-file-size MB (default: 5): larger files are skipped.
Entries that cannot be read inside a folder (dangling links, FIFOs, devices, files without permission,
files over the limit) get one line each on stderr and the rest is used. Exit status 2 for bad usage, a
file or folder named on the command line that cannot be read, or (route, reach, matrix, migrate) invalid YAML.`;
}

/** `--max-file-size MB` (or `--max-file-size=MB`) anywhere after the command, for every command. */
function takeMaxFileSize(argv: string[]): string[] {
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--max-file-size') {
      if (i + 1 >= argv.length) throw new UsageError('--max-file-size needs a value');
      setMaxFileMB(parseMaxFileSize(argv[++i])!);
    } else if (a.startsWith('--max-file-size=')) setMaxFileMB(parseMaxFileSize(a.slice('--max-file-size='.length))!);
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
  if (!command || command === '-h' || command === '--help') {
    process.stdout.write(usage() + '\n');
    return command ? 0 : 2;
  }
  const cmd = COMMANDS[command];
  if (!cmd) throw new UsageError(`unknown command "${command}"`);
  if (rest.includes('-h') || rest.includes('--help')) {
    process.stdout.write(cmd.usage + '\n');
    return 0;
  }
  return cmd.run(takeMaxFileSize(rest));
}

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
      process.stderr.write(`kube-netlens: ${printable(e.message)}\n\n${usage()}\n`);
      process.exitCode = 2;
    } else if (e instanceof InputError) {
      process.stderr.write(`kube-netlens: ${printable(e.message)}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`kube-netlens: internal error: ${printable(e instanceof Error ? e.message : String(e))}\n`);
      process.exitCode = 2;
    }
  }
}
