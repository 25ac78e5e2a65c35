import { mergeFilterPatterns, routerFilters, streamRoutingOf, topology } from '../../../infra/topology';
import { matchesPattern, type EventPattern } from '../../../shared/event-pattern';

describe('mergeFilterPatterns', () => {
  it('merges patterns that differ in one leaf into one leaf of alternatives, and drops duplicates', () => {
    expect(
      mergeFilterPatterns([
        { eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { sk: { S: ['META'] } } } },
        { eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { sk: { S: [{ prefix: 'REPORT#' }] } } } },
        { eventName: ['MODIFY', 'INSERT'], dynamodb: { Keys: { sk: { S: ['META'] } } } },
      ]),
    ).toEqual([
      { eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { sk: { S: ['META', { prefix: 'REPORT#' }] } } } },
    ]);
  });

  it('keeps apart patterns that differ in two leaves or in their fields, and patterns with $or', () => {
    const patterns: EventPattern[] = [
      { eventName: ['INSERT'], dynamodb: { Keys: { sk: { S: ['A'] } } } },
      { eventName: ['REMOVE'], dynamodb: { Keys: { sk: { S: ['B'] } } } },
      { dynamodb: { Keys: { sk: { S: ['A'] } } } },
      { $or: [{ a: ['x'] }, { b: ['y'] }] },
    ];
    expect(mergeFilterPatterns(patterns)).toEqual(patterns);
  });

  it('selects exactly the records the patterns it merged select', () => {
    const patterns: EventPattern[] = topology.functions.flatMap((fn) =>
      fn.trigger.kind === 'queue' ? fn.trigger.streamFilters : [],
    );
    const merged = mergeFilterPatterns(patterns);
    for (const eventName of ['INSERT', 'MODIFY', 'REMOVE']) {
      for (const [pk, sk] of [
        ['ARTICLE#a', 'META'],
        ['ARTICLE#a', 'REPORT#1'],
        ['ARTICLE#a', 'CONTACT#1'],
        ['ARTICLE#a', 'COMMENT#1'],
        ['CVOTE#a.1#r', 'CVOTE'],
        ['CFLAG#a.1#r', 'CFLAG'],
        ['VOTE#a#r', 'VOTE'],
        ['ARTICLE#a', 'POLL#TALLY#0'],
        ['ARTICLE#a', 'POLL#APPLIED#e'],
        ['ARTICLE#a', 'COUNTS'],
      ]) {
        const record = { eventName, dynamodb: { Keys: { pk: { S: pk }, sk: { S: sk } } } };
        const any = (list: EventPattern[]) => list.some((pattern) => matchesPattern(pattern, record));
        expect([eventName, pk, sk, any(merged)]).toEqual([eventName, pk, sk, any(patterns)]);
      }
    }
  });
});

describe('streamRoutingOf', () => {
  it("finds the topology's router and the four features it feeds, within Lambda's five patterns", () => {
    const routing = streamRoutingOf(topology)!;
    expect(routing.router.name).toBe('route-stream-records');
    expect(routing.features.map((fn) => fn.name)).toEqual([
      'publish-article-changes',
      'follow-up-error-reports',
      'process-comment-changes',
      'publish-poll-tallies',
    ]);
    expect(routerFilters(routing.features).length).toBeLessThanOrEqual(5);
  });

  it('refuses a router that would need more than five patterns', () => {
    const features = Array.from({ length: 6 }, (_, i) => ({
      trigger: {
        kind: 'queue' as const,
        fifo: true,
        streamFilters: [{ eventName: [`E${i}`], dynamodb: { Keys: { [`k${i}`]: { S: ['x'] } } } }],
        batchSize: 10,
        maxReceiveCount: 3,
        visibilityTimeoutSeconds: 60,
      },
    }));
    expect(() => routerFilters(features)).toThrow(/allows 5/);
  });
});
