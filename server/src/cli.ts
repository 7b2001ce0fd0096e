// kube-netlens: the command-line tool. Same parser, model, rules and engine as the language server.

import { UsageError } from './cli/common';
import { InputError } from './cli/engine-input';
import { CHECK_USAGE, runCheck } from './cli/check';
import { ROUTE_USAGE, runRoute } from './cli/route';
import { REACH_USAGE, runReach } from './cli/reach';
import { MATRIX_USAGE, runMatrix } from './cli/matrix';

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
};

function usage(): string {
  return `Usage:\n${Object.values(COMMANDS).map((c) => '  ' + c.usage.replace(/\n/g, '\n  ')).join('\n\n')}\n\nExit status 2 for bad usage, unreadable files or (route, reach, matrix) invalid YAML.`;
}

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
  return cmd.run(rest);
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  if (e instanceof UsageError) {
    process.stderr.write(`kube-netlens: ${e.message}\n\n${usage()}\n`);
    process.exitCode = 2;
  } else if (e instanceof InputError) {
    process.stderr.write(`kube-netlens: ${e.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`kube-netlens: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  }
}
