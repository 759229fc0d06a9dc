#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { COMMANDS } from './commands/index.js';

/**
 * The `threshold` command. Usage errors (unknown option, missing argument) print one line and
 * exit with code 2; `--help` works on every command.
 */
const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const program = new Command()
  .name('threshold')
  .description('Threshold: see where every millisecond of your AI agents goes')
  .version(version)
  .exitOverride();
for (const register of COMMANDS) register(program);
for (const command of program.commands) command.exitOverride();

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    const success = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help';
    process.exit(success ? 0 : 2);
  }
  throw error;
}
