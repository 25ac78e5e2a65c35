/**
 * The setup every handler unit test needs, in one place: the environment a handler module reads
 * at load time, mocked DynamoDB, S3 and EventBridge clients (aws-sdk-client-mock, so nothing
 * reaches the network), the handler modules loaded once after both are in place and watched by
 * `recordTableUse`, and the test that what they sent to the table is declared in the topology.
 *
 * Call `handlerHarness` at the top of a test file, before anything imports a handler module.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { BAN_LIST_KEY } from '../../shared/store/reader-ban-keys';
import { setHandlerEnv } from './api-events';
import { recordTableUse } from './table-use';

/** What an HTTP handler answers (payload format 2.0, as our handlers build it). */
export type HttpResult = { statusCode: number; body: string; headers: Record<string, string> };
/** What a stream handler answers (partial batch failures). */
export type StreamBatchResult = { batchItemFailures: Array<{ itemIdentifier: string }> };
export type HttpHandler = (event: unknown, context: unknown) => Promise<HttpResult>;

export interface HandlerHarnessOptions {
  /** Variables beyond `setHandlerEnv`'s; `undefined` removes one. */
  env?: Record<string, string | undefined>;
}

export function handlerHarness(options: HandlerHarnessOptions = {}) {
  setHandlerEnv();
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  const dynamo = mockClient(DynamoDBDocumentClient);
  const s3 = mockClient(S3Client);
  const eventBridge = mockClient(EventBridgeClient);
  const tableUse = recordTableUse(dynamo);
  let banList: Record<string, unknown> | undefined;

  return {
    dynamo,
    s3,
    eventBridge,
    tableUse,
    /**
     * The handler of `functions/<name>/handler`, loaded in a `beforeAll` of the file and watched
     * for the table operations it sends. Call it from tests only (it is not loaded before).
     */
    handler<H extends (...args: any[]) => Promise<any> = HttpHandler>(name: string): H {
      let loaded: H | undefined;
      beforeAll(async () => {
        loaded = (await tableUse.load(name)) as H;
      });
      return ((...args: Parameters<H>) => {
        if (!loaded) throw new Error(`${name} is not loaded yet: call its handler from a test`);
        // Every reader route reads the list of bans: answered here, right before each call, so
        // it wins over a test's catch-all GetCommand mock (the behavior defined last answers).
        dynamo.on(GetCommand, { Key: BAN_LIST_KEY }).resolves(banList ? { Item: banList } : {});
        return loaded(...args);
      }) as H;
    },
    /**
     * The list of bans the handlers read (`{ bans, version }`), from their next call on; none by
     * default. A reader route keeps what it read for a second (see reader-authenticator).
     */
    setBanList(item: { bans: { readerId: string; until: number | null }[]; version: number } | undefined): void {
      banList = item && { ...BAN_LIST_KEY, ...item };
    },
    /** The GetCommands the handlers sent for anything but the list of bans. */
    getsBesideBans() {
      return dynamo.commandCalls(GetCommand).filter((call) => call.args[0].input.Key?.pk !== BAN_LIST_KEY.pk);
    },
    /** The test, at the end of a file, that its handlers sent the table only declared operations. */
    itSendsOnlyDeclaredTableOperations(): void {
      it('sends the table only the operations the topology declares for each handler', () => {
        expect(tableUse.undeclared()).toEqual({});
      });
    },
  };
}
