/**
 * The panel's unit tests: jsdom + @swc/jest, as create-plugin's .config/jest sets them up, with its two
 * known gaps fixed (RECIPES.md): .mjs files go through the transform too (d3-color 3.1 ships only .mjs),
 * and the ESM-only packages @grafana/ui pulls in are transformed rather than ignored.
 */
const fs = require('node:fs');
const path = require('node:path');

/** Packages that ship ESM only ("type": "module"): found, not listed, so a dependency bump cannot break the run. */
function esmOnlyPackages(nodeModules) {
  const names = [];
  const isEsm = (dir) => {
    try {
      return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).type === 'module';
    } catch {
      return false;
    }
  };
  for (const entry of fs.readdirSync(nodeModules)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      for (const sub of fs.readdirSync(path.join(nodeModules, entry))) if (isEsm(path.join(nodeModules, entry, sub))) names.push(`${entry}/${sub}`);
    } else if (isEsm(path.join(nodeModules, entry))) names.push(entry);
  }
  return names;
}
const ESM_PACKAGES = esmOnlyPackages(path.join(__dirname, '..', 'node_modules')).map((n) => n.replace(/[.+]/g, '\\$&'));

module.exports = {
  displayName: 'grafana-plugin',
  testEnvironment: 'jsdom',
  roots: ['<rootDir>/src'],
  testMatch: ['**/*.test.{ts,tsx}'],
  setupFiles: ['<rootDir>/jest-shims.js'],
  setupFilesAfterEnv: ['<rootDir>/jest-setup.ts'],
  moduleNameMapper: {
    '\\.(css|scss|sass)$': 'identity-obj-proxy',
    'react-inlinesvg': '<rootDir>/jest-stubs/react-inlinesvg.tsx',
  },
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } } } }],
    '^.+\\.mjs$': ['@swc/jest'],
  },
  transformIgnorePatterns: [`node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
  testTimeout: 60000,
};
