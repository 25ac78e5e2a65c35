/**
 * What live updates cost on AWS list prices (us-east-1), per million reader-minutes and per million
 * updates, for this design (AppSync Events) and the usual alternative (an API Gateway WebSocket API
 * with a connection table and a function that posts each update to every connection).
 *
 * Only prices and the stated assumptions go in; the largest message is measured by `bench/live.ts`
 * and passed in.
 */
import { PRICES as SHARED_PRICES } from './poll-model';

export const LIVE_PRICES = {
  ...SHARED_PRICES,
  /** AppSync Events: each publish, each delivery to a subscriber, each connect and subscribe (5 KB units). */
  appSyncEventsPerMillionOperations: 1.0,
  appSyncEventsPerMillionConnectionMinutes: 0.08,
  appSyncEventsOperationUnitBytes: 5 * 1024,
  /** API Gateway WebSocket APIs: messages sent and received (32 KB units), and connection minutes. */
  webSocketPerMillionMessages: 1.0,
  webSocketPerMillionConnectionMinutes: 0.25,
  webSocketMessageUnitBytes: 32 * 1024,
} as const;

/** Stated, not measured: how long a page stays open, and the fan-out function's billed time. */
export const LIVE_ASSUMED = {
  /** A story page kept open this long on average (reader-minutes per page view). */
  minutesPerView: 3,
  /** The live-update publisher's billed time per invocation (one signed HTTPS publish). */
  publisherMs: 40,
  /** The WebSocket design's fan-out function: a connection-table query, then one PostToConnection each. */
  fanOutBaseMs: 30,
  fanOutMsPerConnection: 4,
  /** $connect / $disconnect handlers: one write to the connection table each. */
  connectHandlerMs: 10,
  /** A connection item in the table (connection id, story, TTL): one write unit, ~100 bytes read. */
  connectionItemBytes: 100,
  memoryGb: 0.25,
  /**
   * Publisher invocations per update sent: one per event that becomes a message. Under a burst,
   * coalesced tallies add invocations that send nothing (both designs alike).
   */
  publisherInvocationsPerUpdate: 1,
} as const;

export interface LiveCostInputs {
  /** Readers with the story open when an update goes out. */
  subscribers: number;
  /** The largest live message measured (bytes), which sets the billed units per delivery. */
  messageBytes: number;
}

const MILLION = 1_000_000;
const lambda = (invocations: number, ms: number) =>
  invocations * (LIVE_PRICES.lambdaPerMillionRequests / MILLION) +
  invocations * LIVE_ASSUMED.memoryGb * (ms / 1000) * LIVE_PRICES.lambdaArmPerGbSecond;
const units = (bytes: number, unit: number) => Math.max(1, Math.ceil(bytes / unit));

/** USD per million updates published to a story with `subscribers` open pages, by line. */
export function costPerMillionUpdates(inputs: LiveCostInputs): Record<string, Record<string, number>> {
  const appSyncUnits = units(inputs.messageBytes, LIVE_PRICES.appSyncEventsOperationUnitBytes);
  const appSync = {
    'Lambda (publisher)': lambda(LIVE_ASSUMED.publisherInvocationsPerUpdate * MILLION, LIVE_ASSUMED.publisherMs),
    // One inbound publish and one outbound delivery per subscriber, each in 5 KB units.
    'AppSync Events operations':
      (1 + inputs.subscribers) * appSyncUnits * LIVE_PRICES.appSyncEventsPerMillionOperations,
  };
  const webSocketUnits = units(inputs.messageBytes, LIVE_PRICES.webSocketMessageUnitBytes);
  const queryReadUnits = units(inputs.subscribers * LIVE_ASSUMED.connectionItemBytes, 4096) / 2; // eventually consistent
  const webSocket = {
    'Lambda (fan-out)': lambda(
      LIVE_ASSUMED.publisherInvocationsPerUpdate * MILLION,
      LIVE_ASSUMED.fanOutBaseMs + inputs.subscribers * LIVE_ASSUMED.fanOutMsPerConnection,
    ),
    'DynamoDB reads (connections of the story)': queryReadUnits * LIVE_PRICES.dynamoPerMillionReadUnits,
    'WebSocket messages': inputs.subscribers * webSocketUnits * LIVE_PRICES.webSocketPerMillionMessages,
  };
  return {
    'AppSync Events (this design)': withTotal(appSync),
    'API Gateway WebSocket + fan-out': withTotal(webSocket),
  };
}

/** USD per million reader-minutes (pages open, whether or not anything changes), by line. */
export function costPerMillionReaderMinutes(): Record<string, Record<string, number>> {
  const viewsPerMillionMinutes = MILLION / LIVE_ASSUMED.minutesPerView;
  const appSync = {
    'connection minutes': LIVE_PRICES.appSyncEventsPerMillionConnectionMinutes,
    // A connect and a subscribe per page view (keep-alives are not billed).
    'connect + subscribe operations':
      (2 * viewsPerMillionMinutes * LIVE_PRICES.appSyncEventsPerMillionOperations) / MILLION,
  };
  const webSocket = {
    'connection minutes': LIVE_PRICES.webSocketPerMillionConnectionMinutes,
    // The page's one "follow this story" message.
    'messages (subscribe)': (viewsPerMillionMinutes * LIVE_PRICES.webSocketPerMillionMessages) / MILLION,
    'Lambda ($connect, $disconnect)': lambda(2 * viewsPerMillionMinutes, LIVE_ASSUMED.connectHandlerMs),
    'DynamoDB writes (connection table)':
      (2 * viewsPerMillionMinutes * LIVE_PRICES.dynamoPerMillionWriteUnits) / MILLION,
  };
  return {
    'AppSync Events (this design)': withTotal(appSync),
    'API Gateway WebSocket + fan-out': withTotal(webSocket),
  };
}

function withTotal(lines: Record<string, number>): Record<string, number> {
  const rounded = Object.fromEntries(Object.entries(lines).map(([line, usd]) => [line, Number(usd.toFixed(4))]));
  return {
    ...rounded,
    total: Number(
      Object.values(lines)
        .reduce((a, b) => a + b, 0)
        .toFixed(4),
    ),
  };
}
