/**
 * The layer fence (issue 22; ARCHITECTURE.md "Layers"): `npm run lint:layers`, part of `npm test`.
 * Each layer imports only from the layers above it; type-only imports count (tsPreCompilationDeps).
 *
 *   1 util/, config/ (the core schema), version.ts
 *   2 the brain: calendar/, detect/, forecast/, plan/
 *   3 state.ts and the contracts: contracts/, api/contract.ts
 *   4 services: paging/, freeze/, metrics/, capacity/, cost/, fleet/, identity/
 *   5 adapters: sources/, sinks/, scale/, durable/, api/ (never each other); the engine: engine/
 *   6 app/: the composition root (agent, composed config schema, config loading, registries)
 *   7 entry points: cli/, replay/, backtest/, report/, tune/, index.ts
 *
 * Exceptions, on purpose:
 *   - api/contract.ts is layer 3, not 5: it is the compile-time contract of the API with the panel (types
 *     only; it imports plan/ and detect/ types), which sinks (SinkHealth) and capacity/ also use. It stays
 *     beside the routes because the panel's types name that path.
 *   - Tests (*.test.ts) and fixtures (__fixtures__/) are outside the layer rules: a test may wire a whole
 *     agent through app/. They still count for no-circular, and only they may import test doubles.
 */
const L1 = '^src/(util/|config/|version[.]ts$)';
const L2 = '^src/(calendar|detect|forecast|plan)/';
const L3 = '^src/(contracts/|state[.]ts$|api/contract[.]ts$)';
const L4 = '^src/(paging|freeze|metrics|capacity|cost|fleet|identity)/';
const ADAPTERS = '^src/(sources|sinks|scale|durable|api)/';
const ENGINE = '^src/engine/';
const APP = '^src/app/';
const TESTS = '([.]test[.]ts$|/__fixtures__/)';

/** `from` a layer's production files (tests excluded) `to` any agent module outside `allowed`. */
const layer = (name, comment, from, allowed) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from, pathNot: TESTS },
  to: { path: '^src/', pathNot: allowed.join('|') },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import circles, type-only imports included: every module has a floor to start reading from.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    layer('layer-1-util-config', 'util/ and the core config/ import nothing else from the agent.', L1, [L1]),
    layer('layer-2-brain', 'calendar/, detect/, forecast/ and plan/ import only util/, config/ and each other.', L2, [L1, L2]),
    layer('layer-3-state-contracts', 'state.ts and the contracts import only layers 1-3.', L3, [L1, L2, L3]),
    layer('layer-4-services', 'Services (paging, freeze, metrics, capacity, cost, fleet, identity) import only layers 1-4.', L4, [L1, L2, L3, L4]),
    layer('layer-5-adapters', 'Adapters import only layers 1-5 (and never each other: adapters-never-import-each-other).', ADAPTERS, [
      L1,
      L2,
      L3,
      L4,
      ADAPTERS,
    ]),
    layer('layer-5-engine', 'The engine (loop, target pipeline, backfill) uses layers 1-4 only: it sees plug-ins through the contracts.', ENGINE, [
      L1,
      L2,
      L3,
      L4,
      ENGINE,
    ]),
    layer('layer-6-app', 'The composition root imports everything but the entry points.', APP, [L1, L2, L3, L4, ADAPTERS, ENGINE, APP]),
    {
      name: 'adapters-never-import-each-other',
      comment: 'A source, sink, scaler, durable backend or the API never imports another adapter family.',
      severity: 'error',
      from: { path: '^src/(sources|sinks|scale|durable|api)/', pathNot: TESTS },
      to: { path: ADAPTERS, pathNot: ['^src/$1/', L3].join('|') },
    },
    {
      name: 'sinks-never-import-each-other',
      comment: 'One folder per sink: a sink imports the shared queue and retry in sinks/, never another sink.',
      severity: 'error',
      from: { path: '^src/sinks/([^/]+)/', pathNot: TESTS },
      to: { path: '^src/sinks/[^/]+/', pathNot: '^src/sinks/$1/' },
    },
    {
      name: 'config-core-packages',
      comment: 'The core config loads no package but zod and luxon (Node built-ins are fine).',
      severity: 'error',
      from: { path: '^src/config/', pathNot: TESTS },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], pathNot: 'node_modules/(zod|luxon)/' },
    },
    {
      name: 'nothing-imports-test-doubles',
      comment: 'Test doubles (test-support/, __fixtures__/) are for tests only: the build does not ship them.',
      severity: 'error',
      from: { pathNot: `${TESTS}|^test-support/` },
      to: { path: '(^|/)(test-support|__fixtures__)/' },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
  },
};
