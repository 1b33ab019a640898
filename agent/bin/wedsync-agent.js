#!/usr/bin/env node
// The CLI runs the compiled agent (built by `npm run build`, which `npm ci` runs through `prepare`).
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const main = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
if (!fs.existsSync(main)) {
  console.error('wedsync-agent is not built yet: run `npm run build -w agent` (or `npm ci` at the repository root).');
  process.exit(2);
}
// `wedsync-agent detect … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});
require(main)
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
