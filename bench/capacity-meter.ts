/**
 * Counts the DynamoDB capacity consumed, per call and per partition key, by asking every call for
 * `ReturnConsumedCapacity: 'INDEXES'`: the document-client calls of this process (`install`), and
 * the calls of the local stack's functions, which run in isolates of their own, as the stack's
 * DynamoDB access guard reports them (`recordObserved`, given as its `observeDynamoDb`). Where DynamoDB Local's figures differ
 * from what AWS bills, the AWS rule is applied and said so:
 * - a transactional write costs two write units per KB on AWS; DynamoDB Local reports one;
 * - a conditional write that fails still costs its write units on AWS (one for a small item);
 *   DynamoDB Local reports nothing for it;
 * - a read of a key that holds no item still costs half a unit (one, strongly consistent) on AWS;
 *   DynamoDB Local reports found items only.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { ObservedCall } from '../infra/local/access/access-guard';
import { GLOBAL_INDEXES, TABLE_KEYS } from '../shared/store/table-design';

export interface MeteredCall {
  /** When the call completed (ms since epoch). */
  at: number;
  command: string;
  /** Base-table partition keys written (or read), one per item. */
  keys: string[];
  /** Index partition keys written, by index name (known for puts, which carry the whole item). */
  indexKeys: Record<string, string>;
  /** Write units on the base table, AWS rule applied. */
  writeUnits: number;
  /** Write units on each global index. */
  indexWriteUnits: Record<string, number>;
  readUnits: number;
  /** The call was refused: a failed condition or a cancelled transaction. */
  refused: boolean;
  /** The command's input, for classifying the call. */
  input: Record<string, any>;
}

type Capacity = {
  TableName?: string;
  CapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
};

const WRITES = new Set(['PutCommand', 'UpdateCommand', 'DeleteCommand', 'TransactWriteCommand', 'BatchWriteCommand']);

export class CapacityMeter {
  readonly calls: MeteredCall[] = [];
  private original: DynamoDBDocumentClient['send'] | undefined;

  /** Starts counting every DynamoDBDocumentClient call made in this process. */
  install(): void {
    if (this.original) return;
    const original = DynamoDBDocumentClient.prototype.send;
    this.original = original;
    const meter = this;
    // An own `send` on the class prototype shadows the inherited one for every instance.
    DynamoDBDocumentClient.prototype.send = async function send(
      this: DynamoDBDocumentClient,
      command: any,
      ...rest: any[]
    ) {
      command.input.ReturnConsumedCapacity = 'INDEXES';
      try {
        const output = await (original as any).call(this, command, ...rest);
        meter.record(command, output?.ConsumedCapacity, false);
        return output;
      } catch (error) {
        const name = (error as Error).name;
        if (name === 'ConditionalCheckFailedException' || name === 'TransactionCanceledException')
          meter.record(command, undefined, true);
        throw error;
      }
    } as any;
  }

  uninstall(): void {
    if (this.original) DynamoDBDocumentClient.prototype.send = this.original;
    this.original = undefined;
  }

  reset(): void {
    this.calls.length = 0;
  }

  /** A call a local function made, as the stack's DynamoDB access guard saw it on the wire. */
  recordObserved(call: ObservedCall): void {
    const name = WIRE_COMMANDS[call.operation];
    if (!name) return;
    const errorType = typeof call.response.__type === 'string' ? call.response.__type : '';
    const refused = /ConditionalCheckFailed|TransactionCanceled/.test(errorType);
    if (call.status !== 200 && !refused) return;
    this.record(
      { constructor: { name }, input: documentInput(call.request) },
      call.response.ConsumedCapacity as Capacity[] | undefined,
      refused,
    );
  }

  private record(command: any, consumed: Capacity | Capacity[] | undefined, refused: boolean): void {
    const name: string = command.constructor.name;
    const input = command.input as Record<string, any>;
    const items = itemsOf(name, input);
    const capacities = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
    const isWrite = WRITES.has(name);
    let writeUnits = 0;
    let readUnits = 0;
    const indexWriteUnits: Record<string, number> = {};
    for (const capacity of capacities) {
      const table = capacity.Table?.CapacityUnits ?? capacity.CapacityUnits ?? 0;
      if (isWrite) writeUnits += table;
      else readUnits += table;
      for (const [index, units] of Object.entries(capacity.GlobalSecondaryIndexes ?? {})) {
        if (isWrite) indexWriteUnits[index] = (indexWriteUnits[index] ?? 0) + (units.CapacityUnits ?? 0);
      }
    }
    if (name === 'TransactWriteCommand') {
      // AWS: two units per KB for each item written in a transaction, also when it is cancelled.
      writeUnits = refused ? 2 * items.length : 2 * writeUnits;
      for (const index of Object.keys(indexWriteUnits)) indexWriteUnits[index]! *= 2;
    } else if (refused && isWrite) {
      writeUnits = 1;
    }
    if (name === 'BatchGetCommand' || name === 'GetCommand') {
      // AWS: every key asked for costs at least half a unit (a whole one strongly consistent),
      // found or not; DynamoDB Local counts found items only.
      const consistent =
        name === 'GetCommand'
          ? input.ConsistentRead === true
          : Object.values(input.RequestItems as Record<string, { ConsistentRead?: boolean }>)[0]?.ConsistentRead ===
            true;
      readUnits = Math.max(readUnits, items.length * (consistent ? 1 : 0.5));
    }
    const indexKeys: Record<string, string> = {};
    for (const item of items) {
      for (const index of GLOBAL_INDEXES)
        if (item[index.partitionKey]) indexKeys[index.indexName] = String(item[index.partitionKey]);
    }
    this.calls.push({
      at: Date.now(),
      command: name,
      keys: items.map((item) => String(item[TABLE_KEYS.partitionKey])),
      indexKeys,
      writeUnits,
      indexWriteUnits,
      readUnits,
      refused,
      input,
    });
  }
}

/** The document-client command of each wire operation, as `record` classifies calls by it. */
const WIRE_COMMANDS: Record<string, string> = {
  GetItem: 'GetCommand',
  PutItem: 'PutCommand',
  UpdateItem: 'UpdateCommand',
  DeleteItem: 'DeleteCommand',
  Query: 'QueryCommand',
  Scan: 'ScanCommand',
  BatchGetItem: 'BatchGetCommand',
  BatchWriteItem: 'BatchWriteCommand',
  TransactGetItems: 'TransactGetCommand',
  TransactWriteItems: 'TransactWriteCommand',
};

/** A wire request with its items and keys unmarshalled, as the document client's input has them. */
function documentInput(request: Record<string, any>): Record<string, any> {
  const plain = (image: Record<string, AttributeValue> | undefined) => image && unmarshall(image);
  const entry = (item: Record<string, any>) =>
    Object.fromEntries(
      Object.entries(item).map(([kind, detail]: [string, any]) => [
        kind,
        {
          ...detail,
          ...(detail.Item ? { Item: plain(detail.Item) } : {}),
          ...(detail.Key ? { Key: plain(detail.Key) } : {}),
        },
      ]),
    );
  return {
    ...request,
    ...(request.Item ? { Item: plain(request.Item) } : {}),
    ...(request.Key ? { Key: plain(request.Key) } : {}),
    ...(request.TransactItems ? { TransactItems: (request.TransactItems as any[]).map(entry) } : {}),
    ...(request.RequestItems
      ? {
          RequestItems: Object.fromEntries(
            Object.entries(request.RequestItems as Record<string, any>).map(([table, ask]) => [
              table,
              Array.isArray(ask) ? ask : { ...ask, Keys: (ask.Keys as any[]).map((key) => plain(key)) },
            ]),
          ),
        }
      : {}),
  };
}

/** The items (whole, or just their keys) a command touches. */
function itemsOf(command: string, input: Record<string, any>): Array<Record<string, any>> {
  switch (command) {
    case 'PutCommand':
      return [input.Item];
    case 'UpdateCommand':
    case 'DeleteCommand':
    case 'GetCommand':
      return [input.Key];
    case 'TransactWriteCommand':
      return (input.TransactItems as any[]).map(
        (entry) => entry.Put?.Item ?? entry.Update?.Key ?? entry.Delete?.Key ?? entry.ConditionCheck?.Key,
      );
    case 'BatchGetCommand':
      return Object.values(input.RequestItems as Record<string, { Keys: any[] }>).flatMap((request) => request.Keys);
    default:
      return [];
  }
}

/** Total units on each partition key (base table and index keys alike) per whole second. */
export function unitsPerKeyPerSecond(calls: readonly MeteredCall[]): Map<string, Map<number, number>> {
  const byKey = new Map<string, Map<number, number>>();
  const add = (key: string, second: number, units: number) => {
    const seconds = byKey.get(key) ?? new Map<number, number>();
    seconds.set(second, (seconds.get(second) ?? 0) + units);
    byKey.set(key, seconds);
  };
  for (const call of calls) {
    const second = Math.floor(call.at / 1000);
    if (call.writeUnits > 0 && call.keys.length > 0) {
      for (const key of call.keys) add(`table ${key}`, second, call.writeUnits / call.keys.length);
    }
    for (const [index, units] of Object.entries(call.indexWriteUnits)) {
      const key = call.indexKeys[index];
      if (key) add(`${index} ${key}`, second, units);
    }
  }
  return byKey;
}
