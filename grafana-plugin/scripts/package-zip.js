/**
 * Packs dist/ into dist-zip/<id>-<version>.zip in the layout Grafana's installer (`grafana cli --pluginUrl`)
 * and plugin validator expect: one top folder named after the plugin id holding plugin.json, module.js,
 * README.md, CHANGELOG.md, LICENSE and the images plugin.json names. Runs after webpack (`npm run build`).
 */
const { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');
const { zipSync } = require('fflate');

const ROOT = join(__dirname, '..');
const DIST = join(ROOT, 'dist');
const OUT = join(ROOT, 'dist-zip');
const pluginJson = JSON.parse(readFileSync(join(DIST, 'plugin.json'), 'utf8'));
const { version } = require('../package.json');

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

const entries = {};
// Source maps stay out: they would double the archive and Grafana never reads them.
for (const file of filesUnder(DIST).filter((f) => !f.endsWith('.map'))) {
  entries[`${pluginJson.id}/${relative(DIST, file).split('\\').join('/')}`] = [readFileSync(file), { mtime: new Date('2026-01-01T00:00:00Z') }];
}
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const zipFile = join(OUT, `${pluginJson.id}-${version}.zip`);
writeFileSync(zipFile, zipSync(entries, { level: 9 }));
console.log(`${relative(ROOT, zipFile)}: ${Object.keys(entries).length} files`);
