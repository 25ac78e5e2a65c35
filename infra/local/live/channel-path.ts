/**
 * AppSync Events' channel paths: `/<namespace>/<segment>/…`, at most five segments counting the
 * namespace, each 1–50 of `[A-Za-z0-9-]`. A subscription may end in `/*`, which receives every
 * channel below that prefix, at any depth; a publish names one channel, never a wildcard.
 *
 * AppSync's own examples write channels with and without the leading slash (`default/channel`),
 * so both are taken and the path is kept in its slashed form. A channel of the namespace alone is
 * refused (guess: AppSync's channels always name something inside a namespace).
 */
const SEGMENT = /^[A-Za-z0-9-]{1,50}$/;
const MAX_SEGMENTS = 5;
const WILDCARD = '*';

/** A valid channel path, split. */
export interface ChannelPath {
  /** `/stories/0123456789abcdef` or, for a subscription, `/stories/*`. */
  path: string;
  namespace: string;
  wildcard: boolean;
}

/** The channel as AppSync reads it, or undefined when its format is invalid for that use. */
export function parseChannel(raw: string, use: 'subscribe' | 'publish'): ChannelPath | undefined {
  const segments = (raw.startsWith('/') ? raw.slice(1) : raw).split('/');
  if (segments.length < 2 || segments.length > MAX_SEGMENTS) return undefined;
  const wildcard = segments.at(-1) === WILDCARD;
  if (wildcard && use === 'publish') return undefined;
  const named = wildcard ? segments.slice(0, -1) : segments;
  if (!named.every((segment) => SEGMENT.test(segment))) return undefined;
  return { path: `/${segments.join('/')}`, namespace: segments[0]!, wildcard };
}

/**
 * Every subscription path that receives a publish to `channel` (a parsed publish path): the
 * channel itself and the wildcard of each prefix, `/stories/*` for `/stories/a`, and both
 * `/stories/a/*` and `/stories/*` for `/stories/a/b`.
 */
export function subscriptionPathsFor(channel: string): string[] {
  const segments = channel.slice(1).split('/');
  const paths = [channel];
  for (let length = segments.length - 1; length >= 1; length--) {
    paths.push(`/${segments.slice(0, length).join('/')}/${WILDCARD}`);
  }
  return paths;
}
