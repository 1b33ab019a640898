/**
 * The chart library the report inlines: uPlot (the library under Grafana's own time-series panels), its
 * minified browser build and stylesheet read from the installed package, so report.html needs no network.
 * Read once per process.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface ChartLibrary {
  script: string;
  css: string;
  version: string;
}

let cached: ChartLibrary | undefined;

export function chartLibrary(): ChartLibrary {
  if (cached) return cached;
  const pkgFile = require.resolve('uplot/package.json');
  const dist = join(dirname(pkgFile), 'dist');
  const version = (JSON.parse(readFileSync(pkgFile, 'utf8')) as { version: string }).version;
  // "</script" inside the library would end the inline element early; "<\/script" is the same string to JS.
  const script = readFileSync(join(dist, 'uPlot.iife.min.js'), 'utf8').replace(/<\/script/gi, '<\\/script');
  cached = { script, css: readFileSync(join(dist, 'uPlot.min.css'), 'utf8'), version };
  return cached;
}
