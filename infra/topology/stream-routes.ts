/**
 * The stream router and the features it feeds, read off a topology: both hosts wire the router's
 * routes from here (the CDK stack as queue grants and an environment variable, the local stack as
 * local queues), and the router's own event source mapping takes the features' filters merged
 * into the few patterns Lambda allows.
 */
import type { EventPattern } from '../../shared/event-pattern';
import type { FunctionDeclaration, QueueTrigger, Topology } from './types';

/** Lambda allows at most five filter patterns on one event source mapping. */
export const MAX_FILTER_PATTERNS = 5;

/** A function fed by the stream router. */
export type QueueFedFunction = FunctionDeclaration & { trigger: QueueTrigger };

export function isQueueFed(fn: FunctionDeclaration): fn is QueueFedFunction {
  return fn.trigger.kind === 'queue';
}

/** The router and the features it feeds, in topology order. */
export interface StreamRouting {
  router: FunctionDeclaration;
  features: QueueFedFunction[];
}

/**
 * The topology's stream routing, or undefined when it has neither a router nor a queue-fed
 * function. Throws when one comes without the other, when there are two routers, or when the
 * router's filters are not exactly the merge of its features' filters: a feature it does not
 * read for would get nothing, and Lambda would refuse more than five patterns.
 */
export function streamRoutingOf(topology: Pick<Topology, 'functions'>): StreamRouting | undefined {
  const routers = topology.functions.filter((fn) => fn.needs.routeStreamRecords);
  const features = topology.functions.filter(isQueueFed);
  if (routers.length === 0 && features.length === 0) return undefined;
  if (routers.length !== 1) {
    throw new Error(
      `Queue-fed functions (${features.map((fn) => fn.name).join(', ')}) need exactly one function with needs.routeStreamRecords; found ${routers.length}`,
    );
  }
  const router = routers[0]!;
  if (features.length === 0)
    throw new Error(`${router.name} routes stream records, but no function has a queue trigger`);
  if (router.trigger.kind !== 'stream') throw new Error(`${router.name} routes stream records, so it reads the stream`);
  const expected = routerFilters(features);
  if (JSON.stringify(router.trigger.filters) !== JSON.stringify(expected)) {
    throw new Error(
      `${router.name}'s filters must be routerFilters() of the functions it feeds: ${JSON.stringify(expected)}`,
    );
  }
  return { router, features };
}

/**
 * The router's event source mapping filters: every feature's stream filters, merged where two
 * differ in one leaf only (their matchers then sit in one leaf: the same records pass), at most
 * {@link MAX_FILTER_PATTERNS}.
 */
export function routerFilters(features: readonly Pick<QueueFedFunction, 'trigger'>[]): EventPattern[] {
  const merged = mergeFilterPatterns(features.flatMap((fn) => fn.trigger.streamFilters));
  if (merged.length > MAX_FILTER_PATTERNS) {
    throw new Error(
      `The router's features need ${merged.length} filter patterns after merging; Lambda allows ${MAX_FILTER_PATTERNS}`,
    );
  }
  return merged;
}

/** A pattern as its leaves: each path (keys from the root, JSON) and its matchers. */
type Leaves = Map<string, readonly unknown[]>;

/**
 * Merges patterns that match the same fields and differ in the matchers of one field at most,
 * until no two can be merged; duplicates disappear. A leaf's matchers are alternatives, so
 * `{a: [x], b: [y]}` or `{a: [x], b: [z]}` is `{a: [x], b: [y, z]}`. Patterns with `$or` are kept
 * as they are. Order: each merged pattern stands where its first part stood.
 */
export function mergeFilterPatterns(patterns: readonly EventPattern[]): EventPattern[] {
  const kept: Array<{ leaves: Leaves } | { pattern: EventPattern }> = [];
  for (const pattern of patterns) {
    const leaves = leavesOf(pattern);
    kept.push(leaves ? { leaves } : { pattern });
  }
  for (let merging = true; merging;) {
    merging = false;
    for (let i = 0; i < kept.length && !merging; i++) {
      const a = kept[i]!;
      if (!('leaves' in a)) continue;
      for (let j = i + 1; j < kept.length; j++) {
        const b = kept[j]!;
        if (!('leaves' in b)) continue;
        const union = unionIfOneLeafDiffers(a.leaves, b.leaves);
        if (!union) continue;
        kept[i] = { leaves: union };
        kept.splice(j, 1);
        merging = true;
        break;
      }
    }
  }
  return kept.map((entry) => ('leaves' in entry ? patternOf(entry.leaves) : entry.pattern));
}

function leavesOf(pattern: EventPattern, path: string[] = [], into: Leaves = new Map()): Leaves | undefined {
  for (const [key, value] of Object.entries(pattern)) {
    if (key === '$or') return undefined;
    if (Array.isArray(value)) into.set(JSON.stringify([...path, key]), value as readonly unknown[]);
    else if (!leavesOf(value as EventPattern, [...path, key], into)) return undefined;
  }
  return into;
}

function patternOf(leaves: Leaves): EventPattern {
  const root: Record<string, unknown> = {};
  for (const [path, matchers] of leaves) {
    const keys = JSON.parse(path) as string[];
    let node = root;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[keys[keys.length - 1]!] = matchers;
  }
  return root as EventPattern;
}

function unionIfOneLeafDiffers(a: Leaves, b: Leaves): Leaves | undefined {
  if (a.size !== b.size || [...a.keys()].some((path) => !b.has(path))) return undefined;
  const differing = [...a.keys()].filter((path) => !sameMatchers(a.get(path)!, b.get(path)!));
  if (differing.length > 1) return undefined;
  const union = new Map(a);
  for (const path of differing) {
    const have = new Set(a.get(path)!.map((m) => JSON.stringify(m)));
    union.set(path, [...a.get(path)!, ...b.get(path)!.filter((m) => !have.has(JSON.stringify(m)))]);
  }
  return union;
}

function sameMatchers(a: readonly unknown[], b: readonly unknown[]): boolean {
  const set = (list: readonly unknown[]) => new Set(list.map((m) => JSON.stringify(m)));
  const x = set(a);
  const y = set(b);
  return x.size === y.size && [...x].every((m) => y.has(m));
}
