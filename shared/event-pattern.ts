/**
 * EventBridge pattern matching: the local bus's rules and the local stream poller's filter
 * criteria (Lambda event filtering uses the same language), and the stream router, which sends
 * each table change to the features whose filters it matches. One implementation for all three,
 * in the base layer so a handler may use it. Semantics follow EventBridge
 * (its "Ruler" engine) where the two could differ:
 * - every field of a pattern must match (AND); `$or` holds alternatives, at least one of which
 *   must match besides the other fields at the same level;
 * - a leaf is an array of matchers, any of which may match (OR);
 * - when the event's value is an array, the leaf matches if any element matches;
 * - a nested pattern against an array of objects matches if one element matches it whole;
 * - only `{ exists: false }` matches a missing field; `null` matches only an explicit null;
 * - exact values are type-sensitive (`"5"` is not `5`).
 * Unknown operators throw {@link InvalidEventPatternError} rather than never matching, so a
 * typo in a topology pattern fails loudly.
 */
/** An EventBridge event pattern (also the syntax of Lambda event-source filter criteria). */
export type EventPattern = { [field: string]: EventPattern | readonly unknown[] };

/** A pattern uses an operator or shape EventBridge would reject. */
export class InvalidEventPatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEventPatternError';
  }
}

/** True when `event` matches `pattern` as EventBridge (or Lambda filter criteria) would decide. */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  return matchObject(pattern, event, '');
}

/**
 * Throws {@link InvalidEventPatternError} if `pattern` holds an unknown operator or a malformed
 * value. Call it where patterns are registered, so a bad one fails at start-up, not per event.
 */
export function assertValidPattern(pattern: EventPattern): void {
  validateObject(pattern, '');
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function matchObject(pattern: EventPattern, value: unknown, path: string): boolean {
  // Nested patterns against an array of objects: one element must satisfy the whole pattern.
  if (Array.isArray(value) && value.length > 0) {
    return value.some((element) => matchObject(pattern, element, path));
  }
  const fields = isObject(value) ? value : undefined;
  for (const [key, sub] of Object.entries(pattern)) {
    const at = join(path, key);
    if (key === '$or') {
      if (!Array.isArray(sub) || sub.length === 0)
        throw new InvalidEventPatternError(`${at} must be a non-empty array`);
      if (!sub.some((alternative) => matchObject(asPattern(alternative, at), value, path))) return false;
      continue;
    }
    const field = fields?.[key];
    if (Array.isArray(sub)) {
      if (!matchLeaf(sub, field, at)) return false;
    } else if (isObject(sub)) {
      if (!matchObject(sub, field, at)) return false;
    } else {
      throw new InvalidEventPatternError(`${at} must be an array of values or a nested pattern`);
    }
  }
  return true;
}

function matchLeaf(matchers: readonly unknown[], value: unknown, path: string): boolean {
  const candidates = value === undefined ? [undefined] : flatten(value);
  return matchers.some((matcher) => candidates.some((candidate) => matchOne(matcher, candidate, value, path)));
}

/** Array fields match element-wise, nested arrays included (EventBridge flattens them). */
function flatten(value: unknown): unknown[] {
  return Array.isArray(value) ? value.flatMap(flatten) : [value];
}

/**
 * One matcher against one candidate value. `whole` is the field as the event holds it, for
 * `exists`, which asks about the field rather than its elements.
 */
function matchOne(matcher: unknown, candidate: unknown, whole: unknown, path: string): boolean {
  if (!isObject(matcher)) {
    if (matcher === null || ['string', 'number', 'boolean'].includes(typeof matcher)) return candidate === matcher;
    throw new InvalidEventPatternError(`${path}: unsupported value ${JSON.stringify(matcher)}`);
  }
  const entries = Object.entries(matcher);
  if (entries.length !== 1) {
    // Several keys would be a nested pattern inside a leaf array, which EventBridge rejects.
    throw new InvalidEventPatternError(
      `${path}: an operator object has exactly one key, got ${JSON.stringify(matcher)}`,
    );
  }
  const [operator, operand] = entries[0] as [string, unknown];
  switch (operator) {
    case 'exists':
      if (typeof operand !== 'boolean') throw new InvalidEventPatternError(`${path}: exists takes true or false`);
      // Ruler: exists applies to leaves; an object-valued field does not "exist" as a leaf.
      return operand ? candidate !== undefined && !isObject(candidate) : whole === undefined;
    case 'prefix':
      return typeof candidate === 'string' && affixMatches(operand, candidate, 'prefix', path);
    case 'suffix':
      return typeof candidate === 'string' && affixMatches(operand, candidate, 'suffix', path);
    case 'equals-ignore-case':
      return typeof candidate === 'string' && foldCase(candidate) === foldCase(stringOperand(operand, operator, path));
    case 'wildcard':
      return typeof candidate === 'string' && wildcardRegExp(stringOperand(operand, operator, path)).test(candidate);
    case 'numeric':
      return typeof candidate === 'number' && numericMatches(operand, candidate, path);
    case 'anything-but':
      return candidate !== undefined && anythingBut(operand, candidate, path);
    default:
      throw new InvalidEventPatternError(`${path}: unsupported operator "${operator}"`);
  }
}

function affixMatches(operand: unknown, value: string, kind: 'prefix' | 'suffix', path: string): boolean {
  // { prefix: { 'equals-ignore-case': 'abc' } } is the case-insensitive form.
  if (isObject(operand)) {
    const affix = foldCase(stringOperand(operand['equals-ignore-case'], `${kind}.equals-ignore-case`, path));
    const folded = foldCase(value);
    return kind === 'prefix' ? folded.startsWith(affix) : folded.endsWith(affix);
  }
  const affix = stringOperand(operand, kind, path);
  return kind === 'prefix' ? value.startsWith(affix) : value.endsWith(affix);
}

function anythingBut(operand: unknown, value: unknown, path: string): boolean {
  if (isObject(operand)) {
    const [[operator, inner] = ['', undefined]] = Object.entries(operand);
    const values = Array.isArray(inner) ? inner : [inner];
    if (typeof value !== 'string') return false;
    switch (operator) {
      case 'prefix':
        return !values.some((p) => value.startsWith(stringOperand(p, 'anything-but.prefix', path)));
      case 'suffix':
        return !values.some((s) => value.endsWith(stringOperand(s, 'anything-but.suffix', path)));
      case 'equals-ignore-case':
        return !values.some(
          (v) => foldCase(stringOperand(v, 'anything-but.equals-ignore-case', path)) === foldCase(value),
        );
      case 'wildcard':
        return !values.some((w) => wildcardRegExp(stringOperand(w, 'anything-but.wildcard', path)).test(value));
      default:
        throw new InvalidEventPatternError(`${path}: unsupported anything-but operator "${operator}"`);
    }
  }
  const excluded = Array.isArray(operand) ? operand : [operand];
  for (const v of excluded) {
    if (v !== null && !['string', 'number', 'boolean'].includes(typeof v)) {
      throw new InvalidEventPatternError(`${path}: anything-but takes values or one operator object`);
    }
  }
  return !excluded.includes(value);
}

const NUMERIC_OPERATORS: Record<string, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function numericMatches(operand: unknown, value: number, path: string): boolean {
  if (!Array.isArray(operand) || operand.length === 0 || operand.length % 2 !== 0) {
    throw new InvalidEventPatternError(`${path}: numeric takes [operator, number, ...] pairs`);
  }
  for (let i = 0; i < operand.length; i += 2) {
    const compare = NUMERIC_OPERATORS[String(operand[i])];
    const bound: unknown = operand[i + 1];
    if (!compare || typeof bound !== 'number') {
      throw new InvalidEventPatternError(`${path}: numeric takes [operator, number, ...] pairs`);
    }
    if (!compare(value, bound)) return false;
  }
  return true;
}

/**
 * `*` matches any run of characters, `\*` a literal star and `\\` a backslash; everything else
 * is literal. Compiled patterns are cached: the same few patterns are matched for every event.
 */
const wildcardCache = new Map<string, RegExp>();
function wildcardRegExp(wildcard: string): RegExp {
  let compiled = wildcardCache.get(wildcard);
  if (!compiled) {
    let source = '';
    for (let i = 0; i < wildcard.length; i++) {
      const ch = wildcard[i] as string;
      if (ch === '\\' && (wildcard[i + 1] === '*' || wildcard[i + 1] === '\\')) {
        source += escapeRegExp(wildcard[++i] as string);
      } else {
        source += ch === '*' ? '.*' : escapeRegExp(ch);
      }
    }
    compiled = new RegExp(`^${source}$`, 's');
    wildcardCache.set(wildcard, compiled);
  }
  return compiled;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function foldCase(text: string): string {
  return text.toLocaleLowerCase('en-US');
}

function stringOperand(operand: unknown, operator: string, path: string): string {
  if (typeof operand !== 'string') throw new InvalidEventPatternError(`${path}: ${operator} takes a string`);
  return operand;
}

function asPattern(value: unknown, path: string): EventPattern {
  if (!isObject(value)) throw new InvalidEventPatternError(`${path}: each $or alternative must be a pattern object`);
  return value as EventPattern;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** Walks the pattern and runs each matcher once against a dummy value, to surface bad operators. */
function validateObject(pattern: EventPattern, path: string): void {
  if (!isObject(pattern)) throw new InvalidEventPatternError(`${path || 'pattern'} must be an object`);
  for (const [key, sub] of Object.entries(pattern)) {
    const at = join(path, key);
    if (key === '$or') {
      if (!Array.isArray(sub) || sub.length === 0)
        throw new InvalidEventPatternError(`${at} must be a non-empty array`);
      for (const alternative of sub) validateObject(asPattern(alternative, at), path);
    } else if (Array.isArray(sub)) {
      if (sub.length === 0) throw new InvalidEventPatternError(`${at}: an empty array matches nothing`);
      // Probing with a string and a number reaches every operator's operand checks.
      for (const matcher of sub) {
        matchOne(matcher, 'probe', 'probe', at);
        matchOne(matcher, 0, 0, at);
      }
    } else if (isObject(sub)) {
      validateObject(sub, at);
    } else {
      throw new InvalidEventPatternError(`${at} must be an array of values or a nested pattern`);
    }
  }
}
