/**
 * Which table operations handlers really send, compared with what their topology entries declare
 * (`needs.table.actions`, the only source of their IAM grants). The CDK tests prove a function is
 * granted no more than its declaration; this proves, on every path the handler unit tests drive,
 * that the declaration is not less than the code needs, which the local stack (no IAM) would
 * never show and AWS would show as AccessDenied in production.
 */
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { AwsStub } from 'aws-sdk-client-mock';
import { topology, type TableAction } from '../../infra/topology';

type DocumentClientStub = AwsStub<any, any, DynamoDBDocumentClient['config']>;
type TransactWriteItem = NonNullable<TransactWriteCommand['input']['TransactItems']>[number];

/**
 * The declared operations a sent command is authorized by. A transaction is authorized item by
 * item, by each item's own action, exactly as DynamoDB does.
 */
export function tableActionsOf(command: unknown): TableAction[] {
  if (command instanceof GetCommand) return ['get'];
  if (command instanceof BatchGetCommand) return ['batchGet'];
  if (command instanceof QueryCommand) return [command.input.IndexName === undefined ? 'query' : 'queryIndex'];
  if (command instanceof ScanCommand) return ['scan'];
  if (command instanceof PutCommand) return ['put'];
  if (command instanceof UpdateCommand) return ['update'];
  if (command instanceof DeleteCommand) return ['delete'];
  if (command instanceof BatchWriteCommand) return ['batchWrite'];
  if (command instanceof TransactGetCommand) return ['get'];
  if (command instanceof TransactWriteCommand) {
    return (command.input.TransactItems ?? []).map((item: TransactWriteItem): TableAction => {
      if (item.Put) return 'put';
      if (item.Update) return 'update';
      if (item.Delete) return 'delete';
      if (item.ConditionCheck) return 'conditionCheck';
      throw new Error(`A transaction item of no known kind: ${Object.keys(item).join(', ')}`);
    });
  }
  throw new Error(`No declared table operation authorizes ${(command as object).constructor.name}`);
}

/**
 * Records, per function, the table operations its handler sends through the mocked document
 * client. `watch` wraps a handler as the tests import it; `undeclared` lists what was sent beyond
 * the function's declaration (empty when the code and the topology agree).
 */
export function recordTableUse(dynamo: DocumentClientStub) {
  const sent = new Map<string, Set<TableAction>>();
  const active = new Set<{ name: string; overlapped: boolean }>();
  const ambiguous = new Set<string>();
  return {
    watch<H extends (...args: any[]) => Promise<any>>(name: string, handler: H): H {
      if (!topology.functions.some((fn) => fn.name === name)) throw new Error(`No function ${name} in the topology`);
      return (async (...args: any[]) => {
        const from = dynamo.calls().length;
        const run = { name, overlapped: false };
        for (const other of active) {
          if (other.name !== name) other.overlapped = run.overlapped = true;
        }
        active.add(run);
        try {
          return await handler(...args);
        } finally {
          active.delete(run);
          const calls = dynamo.calls().slice(from);
          // Commands of two different handlers running at once cannot be told apart.
          if (calls.length > 0 && run.overlapped) ambiguous.add(name);
          const actions = sent.get(name) ?? new Set<TableAction>();
          for (const call of calls) for (const action of tableActionsOf(call.args[0])) actions.add(action);
          sent.set(name, actions);
        }
      }) as H;
    },
    /** Imports a function's handler (`functions/<name>/handler`) and watches it. */
    async load(name: string): Promise<unknown> {
      const { handler } = await import(`../../functions/${name}/handler`);
      return this.watch(name, handler);
    },
    /** Per watched function that sent anything undeclared: what it sent and its declaration lacks. */
    undeclared(): Record<string, TableAction[]> {
      if (ambiguous.size > 0)
        throw new Error(`Handlers ran at once, commands unattributable: ${[...ambiguous].join(', ')}`);
      const beyond: Record<string, TableAction[]> = {};
      for (const [name, actions] of sent) {
        const declared = new Set(topology.functions.find((fn) => fn.name === name)?.needs.table?.actions ?? []);
        const missing = [...actions].filter((action) => !declared.has(action)).sort();
        if (missing.length > 0) beyond[name] = missing;
      }
      return beyond;
    },
  };
}
