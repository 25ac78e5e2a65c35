/**
 * The layer rule of issue 10: functions → adapters → domains → base, with the HTTP edge beside
 * the adapters. Kept apart from eslint.config.mjs so test/unit/lint/layers.test.ts can run these
 * rules alone on snippets (no type information, so no TypeScript program is built).
 *
 * Elements are classified by the resolved path of the imported file, so relative imports,
 * package aliases and re-exports are judged alike. The first matching descriptor wins.
 */
const boundaries = require('eslint-plugin-boundaries');

const DOMAINS = 'articles|comments|polls|error-reports|identity|abuse|privacy|idempotency|live|alerts';

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
  // Dependency factories that wire the adapters of several groups for one handler (ingest needs the
  // poll store, comment reactions the rate limiter): the one place adapter groups meet.
  { type: 'wiring', pattern: 'shared/adapters/wiring', partialMatch: false },
  // An adapter group per domain, shared/adapters/<group>/; a file directly in shared/adapters/ is
  // a group of its own.
  { type: 'adapter', pattern: 'shared/adapters/*', partialMatch: false, capture: ['group'] },
  // A file directly in shared/adapters/ belongs to no group: the policies below refuse it.
  { type: 'ungrouped-adapter', pattern: 'shared/adapters', partialMatch: false },
  { type: 'http', pattern: 'shared/http', partialMatch: false },
  { type: 'domain', pattern: `shared/(${DOMAINS})`, partialMatch: false, capture: ['domain'] },
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
    disallow: elementTypes([
      'domain',
      'adapter',
      'aws-adapter',
      'wiring',
      'ungrouped-adapter',
      'http',
      ...ENTRY_POINTS,
    ]),
    message:
      'base code (shared/*.ts, store, events, observability) must not import from the {{to.element.type}} layer ({{to.file.path}})',
  },
  {
    from: { element: { type: 'domain' } },
    disallow: elementTypes(['adapter', 'aws-adapter', 'wiring', 'ungrouped-adapter', 'http', ...ENTRY_POINTS]),
    message:
      'domain code must not import from the {{to.element.type}} layer ({{to.file.path}}); depend on a port in the domain instead',
  },
  {
    // Domains depend on each other one way only: articles use polls (a story's poll is defined at
    // ingest); comments and error reports use articles, polls and the cross-cutting domains; polls
    // and the cross-cutting domains (abuse, privacy, idempotency) use none.
    from: { element: { type: 'domain', captured: { domain: '{polls,abuse,privacy,idempotency}' } } },
    disallow: { to: { element: { type: 'domain', captured: { domain: '!{{from.element.captured.domain}}' } } } },
    message: 'shared/{{from.element.captured.domain}} must not import another domain ({{to.file.path}})',
  },
  {
    from: { element: { type: 'domain', captured: { domain: 'articles' } } },
    disallow: { to: { element: { type: 'domain', captured: { domain: '{comments,error-reports}' } } } },
    message: 'shared/articles must not import shared/{{to.element.captured.domain}}: they depend on articles',
  },
  {
    from: { element: { type: 'domain', captured: { domain: 'comments' } } },
    disallow: { to: { element: { type: 'domain', captured: { domain: 'error-reports' } } } },
    message: 'comments and error reports must not depend on each other ({{to.file.path}})',
  },
  {
    from: { element: { type: 'domain', captured: { domain: 'error-reports' } } },
    disallow: { to: { element: { type: 'domain', captured: { domain: 'comments' } } } },
    message: 'comments and error reports must not depend on each other ({{to.file.path}})',
  },
  {
    // Live updates are built from what the other domains say (comments, polls, corrections); none
    // of them knows live updates exist.
    from: { element: { type: 'domain', captured: { domain: '!live' } } },
    disallow: { to: { element: { type: 'domain', captured: { domain: 'live' } } } },
    message: 'shared/{{from.element.captured.domain}} must not import shared/live: live updates depend on it',
  },
  {
    // The editors' alerts are made from what error reports and ingest say; neither knows of them.
    from: { element: { type: 'domain', captured: { domain: '!alerts' } } },
    disallow: { to: { element: { type: 'domain', captured: { domain: 'alerts' } } } },
    message: 'shared/{{from.element.captured.domain}} must not import shared/alerts: the alerts depend on it',
  },
  {
    from: { element: { type: 'domain' } },
    disallow: { to: { module: { source: RUNTIME_MODULES } } },
    message: 'domain code must not import {{to.module.source}}: the domain knows nothing of Lambda or AWS',
  },
  {
    from: { element: { types: { anyOf: ['adapter', 'aws-adapter', 'wiring'] } } },
    disallow: elementTypes(['http', 'ungrouped-adapter', ...ENTRY_POINTS]),
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
    from: { element: { type: 'adapter' } },
    disallow: elementTypes(['wiring']),
    message: 'an adapter group must not import the wiring that sits above it ({{to.file.path}})',
  },
  {
    from: { element: { type: 'aws-adapter' } },
    disallow: elementTypes(['adapter', 'wiring']),
    message: 'shared AWS clients must not import a domain adapter ({{to.file.path}})',
  },
  {
    from: { element: { type: 'ungrouped-adapter' } },
    disallow: { to: { element: { types: { anyOf: ['base', 'domain', 'aws-adapter', 'adapter', 'http'] } } } },
    message: 'an adapter belongs in its group folder, shared/adapters/<domain>/ or shared/adapters/aws/',
  },
  {
    from: { element: { type: 'http' } },
    disallow: elementTypes(['adapter', 'aws-adapter', 'wiring', 'ungrouped-adapter', ...ENTRY_POINTS]),
    message:
      'the HTTP edge must not import from the {{to.element.type}} layer ({{to.file.path}}); handlers pass adapters in',
  },
  {
    // The topology is read by the CDK stack and the local stack alike; it declares, it does not run.
    from: { element: { type: 'topology' } },
    disallow: elementTypes(['adapter', 'aws-adapter', 'wiring', 'ungrouped-adapter', 'function']),
    message: 'infra/topology must not import from the {{to.element.type}} layer ({{to.file.path}})',
  },
];

module.exports = {
  elements,
  layerPolicies,
  /** Flat config for the layer rule, given the policies to enforce. */
  layersConfig({ rootPath = __dirname, policies = layerPolicies } = {}) {
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
