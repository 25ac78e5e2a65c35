import * as fc from 'fast-check';
import { buildOpenApiDocument } from '../../infra/openapi/document';
import { isHttp, topology, type HttpTrigger } from '../../infra/topology';
import { ROUTE_CONTRACTS } from '../../shared/http/contracts';
import { LIMITS } from '../../shared/limits';
import { routeKey, toRequest, validParts, type Tokens } from '../support/bad-input/cases';
import { createFixtures, issueTokens } from '../support/bad-input/fixtures';
import { PATH_PARAMETERS, routeSpecs, type Fixtures, type RouteSpec } from '../support/bad-input/route-specs';
import { withLocalStack } from '../support/local-stack';
import { rawClient, type RawReply, type RawRequest } from '../support/raw-http';
import { SAMPLE_STORY_TEXT } from '../support/sample-story';

/**
 * The OpenAPI contract against the running API: every route of the topology, called through the
 * local stack, answers only with statuses its contract documents, and every body matches the
 * zod schema the document's response schema was generated from. Successes come from each
 * route's valid request (sent twice, so repeats — replaced votes, second flags, unchanged
 * stories — are checked too); errors from requests one defect away from it.
 */
type Parts = ReturnType<typeof validParts>;

const routes = topology.functions.filter(isHttp).map((fn) => fn.trigger);

let client: ReturnType<typeof rawClient>;
let tokens: Tokens;
let fixtures: Fixtures;
let specs: Record<string, RouteSpec>;

const local = withLocalStack({
  name: 'openapi',
  // A route's own 429 is documented, but a limiter tripped by this suite's repeats would hide the answer under test.
  env: { RATE_LIMITS: 'off' },
});

beforeAll(async () => {
  client = rawClient(local.api);
  tokens = await issueTokens(local.stack, local.dataDir);
  fixtures = await createFixtures(local.stack, tokens);
  specs = routeSpecs(fixtures, { storyText: SAMPLE_STORY_TEXT });
}, 90_000);

afterAll(() => client?.close());

/** Why a reply breaks its route's contract, or undefined when it keeps it. */
function breach(trigger: HttpTrigger, request: RawRequest, reply: RawReply): string | undefined {
  const key = routeKey(trigger);
  const where = `${key} (${request.method} ${request.path.slice(0, 100)}) → ${reply.status}`;
  const documented = ROUTE_CONTRACTS[key]!.responses[reply.status];
  if (!documented) return `${where}: status not documented; body ${reply.text.slice(0, 200)}`;
  // A response documented without a schema has no body (204).
  if (!documented.schema) return reply.text === '' ? undefined : `${where}: a body where none is documented`;
  if (!String(reply.headers['content-type']).startsWith('application/json')) return `${where}: not JSON`;
  let body: unknown;
  try {
    body = JSON.parse(reply.text);
  } catch {
    return `${where}: unparseable body`;
  }
  const parsed = documented.schema.safeParse(body);
  if (parsed.success) return undefined;
  const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  return `${where}: body does not match the documented schema: ${issues.slice(0, 5).join('; ')}`;
}

describe('GET /openapi.json', () => {
  it('serves the document generated from the topology and the contracts, with every route and method', async () => {
    const reply = await client.send({ method: 'GET', path: '/openapi.json' });
    const served = JSON.parse(reply.text) as ReturnType<typeof buildOpenApiDocument>;

    expect(reply.status).toBe(200);
    expect(served).toEqual(buildOpenApiDocument(topology));
    const operations = Object.entries(served.paths).flatMap(([path, byMethod]) =>
      Object.keys(byMethod).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(routes.map(routeKey).sort());
  });
});

describe('every route answers as its contract documents', () => {
  it('valid requests, each sent twice, get documented statuses with bodies that match their schemas', async () => {
    // Moderation last, so a changed comment cannot affect the other requests.
    const ordered = [...routes].sort((a, b) => Number(a.method === 'PATCH') - Number(b.method === 'PATCH'));
    const problems: string[] = [];
    const statuses: Record<string, number[]> = {};
    for (const trigger of ordered) {
      const request = toRequest(trigger, validParts(trigger, specs[routeKey(trigger)]!, fixtures, tokens));
      for (let attempt = 0; attempt < 2; attempt++) {
        const reply = await client.send(request);
        (statuses[routeKey(trigger)] ??= []).push(reply.status);
        const problem = breach(trigger, request, reply);
        if (problem) problems.push(problem);
      }
    }
    // Variants the valid request does not reach.
    const votes = routes.find((trigger) => routeKey(trigger) === 'GET /articles')!;
    const byVotes = { method: 'GET', path: '/articles?sort=votes&limit=5' };
    const problem = breach(votes, byVotes, await client.send(byVotes));
    if (problem) problems.push(problem);

    expect(problems).toEqual([]);
    const withoutSuccess = Object.entries(statuses).filter(([, seen]) => !seen.some((s) => s >= 200 && s < 300));
    expect(withoutSuccess).toEqual([]);
    // The repeats reached the other documented answers: a replaced vote, an unchanged story, a second poll vote.
    expect(statuses['POST /comments/{commentId}/votes']).toEqual([201, 200]);
    expect(statuses['POST /articles']).toEqual([200, 200]);
    expect(statuses['POST /articles/{articleId}/poll/votes']).toEqual([201, 409]);
  });

  it('requests one defect away from valid get documented 4xx statuses with bodies in the error shape', async () => {
    const problems: string[] = [];
    let sent = 0;
    for (const trigger of routes) {
      const spec = specs[routeKey(trigger)]!;
      for (const request of defects(trigger, spec)) {
        const reply = await client.send(request);
        sent++;
        if (reply.status < 400 || reply.status >= 500) {
          problems.push(`${routeKey(trigger)} (${request.method} ${request.path}) → ${reply.status}, expected a 4xx`);
          continue;
        }
        const problem = breach(trigger, request, reply);
        if (problem) problems.push(problem);
      }
    }

    expect(problems).toEqual([]);
    expect(sent).toBeGreaterThan(routes.length * 2);
  });
});

/** A handful of requests, each the valid one with one defect the route must refuse. */
function defects(trigger: HttpTrigger, spec: RouteSpec): RawRequest[] {
  const valid = validParts(trigger, spec, fixtures, tokens);
  const variant = (change: (parts: Parts) => void): RawRequest => {
    const parts: Parts = {
      ...valid,
      params: { ...valid.params },
      query: { ...valid.query },
      headers: { ...valid.headers },
    };
    change(parts);
    return toRequest(trigger, parts);
  };
  const requests: RawRequest[] = [];
  for (const name of Object.keys(valid.params)) {
    // Not an id of any kind (`not-an-id` alone is a well-formed reader id).
    requests.push(variant((p) => (p.params[name] = 'not-an-id!')));
    const parameter = PATH_PARAMETERS[name]!;
    if (!parameter.unknown) continue;
    const unknown = fc.sample(parameter.unknown(fixtures), { numRuns: 1, seed: 42 })[0]!;
    requests.push(variant((p) => (p.params[name] = unknown)));
  }
  // Only routes that read a query refuse a parameter they do not know; the others ignore the query.
  if (ROUTE_CONTRACTS[routeKey(trigger)]!.request?.query) requests.push(variant((p) => (p.query.unexpected = '1')));
  if (spec.body?.kind === 'json') {
    // An empty object is one defect away only where some field is required (a ban needs none).
    if (Object.values(spec.body.fields).some((field) => field.required)) {
      requests.push(variant((p) => (p.body = Buffer.from('{}'))));
    }
    requests.push(variant((p) => (p.body = Buffer.from('[]'))));
    requests.push(variant((p) => (p.headers['content-type'] = 'text/plain')));
    requests.push(variant((p) => (p.body = Buffer.alloc(LIMITS.maxReaderBodyBytes + 1, 'a'))));
  }
  if (spec.body?.kind === 'document') {
    requests.push(variant((p) => (p.headers['content-type'] = 'application/pdf')));
    requests.push(variant((p) => (p.body = Buffer.from('Not a story.'))));
  }
  if (trigger.access === 'editor') {
    requests.push(variant((p) => delete p.headers.authorization));
    requests.push(variant((p) => (p.headers.authorization = `Bearer ${tokens.reader}`)));
  }
  return requests;
}
