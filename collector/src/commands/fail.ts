/** Prints a one-line error and exits: 2 for bad usage or options, 1 for anything else. */
export function fail(message: string, exitCode: 1 | 2): never {
  process.stderr.write(`threshold: ${message}\n`);
  process.exit(exitCode);
}
