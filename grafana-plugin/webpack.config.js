/**
 * Builds dist/ the way Grafana loads an app plugin with a nested panel (create-plugin's layout): AMD
 * module.js files whose React, @grafana/* and emotion come from the host (Grafana's externals, as in
 * create-plugin's .config/webpack): the app at dist/module.js with its plugin.json, the panel at
 * dist/panels/scaling/ with its own, plus logos and the README. Plain JavaScript: the template's
 * TypeScript config needs Node ≥ 22.
 */
const path = require('node:path');
const CopyWebpackPlugin = require('copy-webpack-plugin');
const pkg = require('./package.json');
const pluginJson = require('./src/plugin.json'); // the app; the panel is nested under panels/

// The modules Grafana provides to plugins at runtime (SystemJS/AMD), from create-plugin's externals list.
const EXTERNALS = [
  'lodash',
  'jquery',
  'moment',
  'slate',
  'emotion',
  '@emotion/react',
  '@emotion/css',
  'prismjs',
  'slate-plain-serializer',
  '@grafana/slate-react',
  'react',
  'react-dom',
  'react-redux',
  'redux',
  'rxjs',
  'react-router',
  'react-router-dom',
  'd3',
  'angular',
  '@grafana/ui',
  '@grafana/runtime',
  '@grafana/data',
  '@grafana/i18n',
  'react/jsx-runtime',
];

module.exports = (_env, argv) => {
  const production = argv.mode !== 'development';
  return {
    mode: production ? 'production' : 'development',
    context: path.join(__dirname, 'src'),
    devtool: production ? 'source-map' : 'eval-source-map',
    entry: { module: './module.ts', 'panels/scaling/module': './panels/scaling/module.ts' },
    externals: [
      ...EXTERNALS,
      ({ request }, cb) => (request && request.startsWith('@grafana/') && !EXTERNALS.includes(request) ? cb(undefined, request) : cb()),
    ],
    output: {
      clean: true,
      filename: '[name].js',
      path: path.resolve(__dirname, 'dist'),
      library: { type: 'amd' },
      publicPath: `public/plugins/${pluginJson.id}/`,
      uniqueName: pluginJson.id,
    },
    resolve: { extensions: ['.ts', '.tsx', '.js', '.jsx'] },
    module: {
      rules: [
        {
          test: /\.[tj]sx?$/,
          exclude: /node_modules/,
          use: {
            loader: 'swc-loader',
            options: { jsc: { target: 'es2021', parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } } } },
          },
        },
      ],
    },
    plugins: [
      new CopyWebpackPlugin({
        patterns: [
          { from: '../README.md', to: '.' },
          // One CHANGELOG and LICENSE for the whole project (the plugin's version is the project's).
          { from: '../../CHANGELOG.md', to: '.' },
          { from: '../../LICENSE', to: '.' },
          { from: 'img', to: 'img' },
          { from: 'img', to: 'panels/scaling/img' },
          // The screenshots plugin.json names, where the README's image links expect them.
          { from: '../docs/*.png', to: 'docs/[name][ext]' },
          ...['plugin.json', 'panels/scaling/plugin.json'].map((from) => ({
            from,
            to: from.replace(/plugin\.json$/, '') || '.',
            transform: (content) => content.toString().replace('%VERSION%', pkg.version).replace('%TODAY%', new Date().toISOString().slice(0, 10)),
          })),
        ],
      }),
    ],
    performance: { hints: false },
    stats: 'errors-warnings',
  };
};
