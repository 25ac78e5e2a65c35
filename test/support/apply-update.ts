/**
 * What an UpdateItem does to an item, for unit tests that mock the document client: instead of
 * comparing the update's expression string with the one the code happens to write, a test applies
 * the update to the item as it stood and asserts the item that results. It knows the parts of the
 * update-expression grammar the code uses (`SET` with `if_not_exists`, `list_append` and `+`/`-`,
 * `ADD` of numbers, `REMOVE`) and throws on anything else, so it cannot silently misread one.
 */
export interface UpdateInput {
  UpdateExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}

/** The item after the update, given the item before (absent: the update creates it). */
export function applyUpdate(before: Record<string, unknown> | undefined, update: UpdateInput): Record<string, unknown> {
  const item: Record<string, unknown> = structuredClone(before ?? {});
  const name = (token: string) => {
    const resolved = token.startsWith('#') ? update.ExpressionAttributeNames?.[token] : token;
    if (resolved === undefined) throw new Error(`No attribute name for ${token}`);
    return resolved;
  };
  const value = (operand: string): unknown => {
    operand = operand.trim();
    const call = /^(if_not_exists|list_append)\((.*)\)$/.exec(operand);
    if (call) {
      const [first, second] = splitTopLevel(call[2]!, ',');
      if (call[1] === 'if_not_exists') return item[name(first!.trim())] ?? value(second!);
      return [...(value(first!) as unknown[]), ...(value(second!) as unknown[])];
    }
    const sum = /^(.+?)\s*([+-])\s*(.+)$/.exec(operand);
    if (sum && !operand.startsWith('if_not_exists')) {
      const [left, right] = [Number(value(sum[1]!)), Number(value(sum[3]!))];
      return sum[2] === '+' ? left + right : left - right;
    }
    if (operand.startsWith(':')) {
      if (!(update.ExpressionAttributeValues && operand in update.ExpressionAttributeValues))
        throw new Error(`No value for ${operand}`);
      return structuredClone(update.ExpressionAttributeValues[operand]);
    }
    return item[name(operand)];
  };

  const expression = update.UpdateExpression ?? '';
  const clauses = expression.split(/\s*\b(?=(?:SET|ADD|REMOVE|DELETE)\s)/).filter((c) => c.trim());
  for (const clause of clauses) {
    const [, action, rest] = /^(SET|ADD|REMOVE|DELETE)\s+(.*)$/s.exec(clause.trim()) ?? [];
    for (const part of splitTopLevel(rest ?? '', ',').map((p) => p.trim())) {
      if (action === 'SET') {
        const [target, operand] = splitTopLevel(part, '=');
        item[name(target!.trim())] = value(operand!);
      } else if (action === 'ADD') {
        const [target, operand] = part.split(/\s+/);
        const delta = value(operand!);
        if (typeof delta !== 'number') throw new Error(`applyUpdate only ADDs numbers: ${part}`);
        item[name(target!)] = Number(item[name(target!)] ?? 0) + delta;
      } else if (action === 'REMOVE') {
        delete item[name(part)];
      } else {
        throw new Error(`applyUpdate does not know "${clause}" in "${expression}"`);
      }
    }
  }
  return item;
}

/** Splits at `separator` outside parentheses. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}
