import { TABLE_KEYS } from '../../store/table-design';
import type * as z from '../../validation';

const { partitionKey: PK, sortKey: SK } = TABLE_KEYS;

/**
 * A stored item is not the shape its schema says. It names the item by its table key and lists
 * where and how it differs, never the item's values: those may hold what a reader wrote.
 */
export class StoredItemError extends Error {
  constructor(
    readonly key: { [PK]: unknown; [SK]: unknown },
    readonly issues: readonly { path: string; message: string }[],
  ) {
    super(
      `Stored item ${String(key[PK])} / ${String(key[SK])} is malformed: ` +
        issues.map(({ path, message }) => (path === '' ? message : `${path}: ${message}`)).join('; '),
    );
    this.name = 'StoredItemError';
  }
}

/**
 * `fields` (the item without the table's own attributes) parsed with `schema`, read from the
 * item `key` names.
 *
 * @throws StoredItemError when the fields do not match the schema
 */
export function parseStoredItem<S extends z.ZodMiniType>(
  schema: S,
  fields: Record<string, unknown>,
  key: Record<string, unknown>,
): z.output<S> {
  const result = schema.safeParse(fields);
  if (result.success) return result.data;
  throw new StoredItemError(
    { [PK]: key[PK], [SK]: key[SK] },
    result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  );
}
