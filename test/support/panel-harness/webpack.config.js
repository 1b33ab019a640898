/**
 * Bundles the harness page (React, @grafana/data|ui|runtime|i18n, emotion): the "Grafana" the built
 * plugin runs in. Development mode without minifying or source maps keeps the build quick; the
 * filesystem cache makes rebuilds take a few seconds.
 */
const path = require('node:path');

module.exports = (env = {}) => ({
  mode: 'development',
  devtool: false,
  context: __dirname,
  entry: { harness: './entry.ts' },
  output: { path: env.outDir ? path.resolve(env.outDir) : path.join(__dirname, 'dist'), filename: '[name].js', clean: true },
  resolve: { extensions: ['.ts', '.tsx', '.js', '.mjs'], modules: ['node_modules', path.join(__dirname, '..', '..', '..', 'node_modules')] },
  resolveLoader: { modules: [path.join(__dirname, '..', '..', '..', 'node_modules')] },
  module: {
    rules: [
      {
        test: /\.tsx?$/,
        exclude: /node_modules/,
        use: {
          loader: 'swc-loader',
          options: {
            jsc: { target: 'es2021', parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic', development: false } } },
          },
        },
      },
      { test: /\.m?js$/, resolve: { fullySpecified: false } },
      { test: /\.css$/, type: 'asset/source' },
      { test: /\.(svg|png|woff2?|ttf|eot)$/, type: 'asset/resource' },
    ],
  },
  cache: { type: 'filesystem', cacheDirectory: path.join(__dirname, '..', '..', '..', 'node_modules', '.cache', 'wedsync-panel-harness') },
  performance: { hints: false },
  stats: 'errors-warnings',
  // process.env.NODE_ENV checks inside React and @grafana/* become constants.
  optimization: { nodeEnv: 'production', minimize: false },
});
