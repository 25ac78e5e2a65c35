/**
 * The layer rule of issue 10: functions → adapters → domains → base, with the HTTP edge beside
 * the adapters. Kept apart from eslint.config.mjs so test/unit/lint/layers.test.ts can run these
 * rules alone on snippets (no type information, so no TypeScript program is built).
 *
 * Elements are classified by the resolved path of the imported file, so relative imports,
 * package aliases and re-exports are judged alike. The first matching descriptor wins.
 */
const boundaries = require('eslint-plugin-boundaries');

const DOMAINS = 'articles|comments|polls|error-reports|abuse|privacy|idempotency';

/** Modules that belong to the Lambda runtime or to AWS, which the domain must not know. */
const RUNTIME_MODULES = [
  '@aws-sdk/*',
  'aws-lambda',
  '@middy/*',
  '@aws-lambda-powertools/*',
  'aws-cdk-lib',
  'aws-cdk-lib/*',
  'constructs',
];

const elements = [
  // Clients and helpers every adapter group may share (DynamoDB, S3, EventBridge, Secrets Manager).
  { type: 'aws-adapter', pattern: 'shared/adapters/aws', partialMatch: false },
  // An adapter group per domain, shared/adapters/<group>/; a file directly in shared/adapters/ is
  // a group of its own.
  { type: 'adapter', pattern: 'shared/adapters/*', partialMatch: false, capture: ['group'] },
  // Files directly in shared/adapters/ (before they are grouped) form one element, so their
  // imports of each other are not checked.
  { type: 'adapter', pattern: 'shared/adapters', partialMatch: false },
  { type: 'http', pattern: 'shared/http', partialMatch: false },
  { type: 'domain', pattern: `shared/(${DOMAINS})`, partialMatch: false },
  // What is left of shared/: its top-level files (config, errors, limits, faults, validation,
  // ports) and the store, events and observability folders.
  { type: 'base', pattern: 'shared/*', partialMatch: false },
  { type: 'base', pattern: 'shared', partialMatch: false },
  { type: 'function', pattern: 'functions', partialMatch: false },
  { type: 'topology', pattern: 'infra/topology', partialMatch: false },
  { type: 'infra', pattern: 'infra', partialMatch: false },
  { type: 'test', pattern: 'test', partialMatch: false },
  { type: 'bench', pattern: 'bench', partialMatch: false },
];

const ENTRY_POINTS = ['function', 'topology', 'infra', 'test', 'bench'];

const elementTypes = (types) => ({ to: { element: { types: { anyOf: types } } } });

/** The intended layering. Policies are read in order and the last one that matches decides. */
const layerPolicies = [
  {
    from: { element: { type: 'base' } },
    disallow: elementTypes(['domain', 'adapter', 'aws-adapter', 'http', ...ENTRY_POINTS]),
    message:
      'base code (shared/*.ts, store, events, observability) must not import from the {{to.element.type}} layer ({{to.file.path}})',
  },
  {
    from: { element: { type: 'domain' } },
    disallow: elementTypes(['adapter', 'aws-adapter', 'http', ...ENTRY_POINTS]),
    message:
      'domain code must not import from the {{to.element.type}} layer ({{to.file.path}}); depend on a port in the domain instead',
  },
  {
    from: { element: { type: 'domain' } },
    disallow: { to: { module: { source: RUNTIME_MODULES } } },
    message: 'domain code must not import {{to.module.source}}: the domain knows nothing of Lambda or AWS',
  },
  {
    from: { element: { types: { anyOf: ['adapter', 'aws-adapter'] } } },
    disallow: elementTypes(['http', ...ENTRY_POINTS]),
    message: 'adapters must not import from the {{to.element.type}} layer ({{to.file.path}})',
  },
  {
    // An adapter group may use the shared AWS clients and its own files, not another group's.
    from: { element: { type: 'adapter' } },
    disallow: { to: { element: { type: 'adapter', captured: { group: '!{{from.element.captured.group}}' } } } },
    message:
      'an adapter must not import another adapter group ({{to.file.path}}); share key builders through shared/store',
  },
  {
    from: { element: { type: 'aws-adapter' } },
    disallow: elementTypes(['adapter']),
    message: 'shared AWS clients must not import a domain adapter ({{to.file.path}})',
  },
  {
    from: { element: { type: 'http' } },
    disallow: elementTypes(['adapter', 'aws-adapter', ...ENTRY_POINTS]),
    message:
      'the HTTP edge must not import from the {{to.element.type}} layer ({{to.file.path}}); handlers pass adapters in',
  },
  {
    // The topology is read by the CDK stack and the local stack alike; it declares, it does not run.
    from: { element: { type: 'topology' } },
    disallow: elementTypes(['adapter', 'aws-adapter', 'function']),
    message: 'infra/topology must not import from the {{to.element.type}} layer ({{to.file.path}})',
  },
];

/**
 * Imports on the tree before the file moves of issue 10 that break the layering; each is allowed
 * here by exact paths so everything else in those files is still checked. The moves (contracts
 * into shared/http/, stream filters into shared/store/) make these paths disappear: delete each
 * entry when its file has moved (an entry whose path no longer exists matches nothing).
 */
const KNOWN_VIOLATIONS_BEFORE_THE_MOVE = [
  {
    // The route contracts belong to the HTTP edge (shared/http/), and article-contracts reads the
    // page type of an adapter.
    from: { file: { path: 'shared/(articles|comments|polls|error-reports)/*-contracts.ts' } },
    allow: { to: { file: { path: ['shared/http/route-contract.ts', 'shared/adapters/dynamo-poll-rankings.ts'] } } },
  },
  {
    // The cursor and limit query parameters are defined on the HTTP edge but used by domain schemas.
    from: {
      file: {
        path: ['shared/articles/article-schemas.ts', 'shared/error-reports/input.ts', 'shared/polls/poll-schemas.ts'],
      },
    },
    allow: { to: { file: { path: 'shared/http/query-schemas.ts' } } },
  },
  {
    // The stream filters the topology declares live beside the adapters that write the records.
    from: { file: { path: 'infra/topology/index.ts' } },
    allow: {
      to: { file: { path: ['shared/adapters/comment-stream-filters.ts', 'shared/adapters/poll-stream-records.ts'] } },
    },
  },
];

module.exports = {
  elements,
  layerPolicies,
  /** Flat config for the layer rule, given the policies to enforce. */
  layersConfig({ rootPath = __dirname, policies = [...layerPolicies, ...KNOWN_VIOLATIONS_BEFORE_THE_MOVE] } = {}) {
    return [
      {
        files: ['**/*.ts'],
        plugins: { boundaries },
        settings: {
          'boundaries/root-path': rootPath,
          'import/resolver': { typescript: { project: require('node:path').join(rootPath, 'tsconfig.json') } },
          'boundaries/elements': elements,
        },
        rules: {
          'boundaries/dependencies': ['error', { default: 'allow', checkAllOrigins: true, policies }],
        },
      },
    ];
  },
};
