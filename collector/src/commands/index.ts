import type { Command } from 'commander';
import { registerCheckCommand } from './check.js';
import { registerCompareCommand } from './compare.js';
import { registerDemoCommand } from './demo.js';
import { registerReportCommand } from './report.js';
import { registerStartCommand } from './start-command.js';

/** Each CLI command is one file exporting a `register…Command(program)`; list it here. */
export const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  registerStartCommand,
  registerDemoCommand,
  registerReportCommand,
  registerCheckCommand,
  registerCompareCommand,
];
