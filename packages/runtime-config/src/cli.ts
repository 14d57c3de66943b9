#!/usr/bin/env node
import { runRuntimeCli } from './runtime-cli.js';

// `npm run runtime -- set maintenance true` (R-OPS-3). Output goes through
// process streams so the package stays free of console calls.
process.exitCode = await runRuntimeCli(process.argv.slice(2), {
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
