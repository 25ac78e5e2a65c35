/**
 * The local stand-in for the editors' alert topic and inbox queue (see `infra/editor-alerts.ts`):
 * each topology `editorAlerts` rule is a rule on the local bus whose target appends the event, as
 * the inbox queue would receive it, to `<dataDir>/editor-inbox.jsonl`, and prints one line on the
 * console, where the topic's e-mail would go. Undeliverable events go to the dead letters.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { EditorAlertRule } from '../topology';
import type { DeadLetterSink } from './dead-letters';
import type { BusEvent, LocalEventBus } from './event-bus';

export const editorInboxPath = (dataDir: string): string => join(dataDir, 'editor-inbox.jsonl');

export interface LocalEditorAlertsOptions {
  bus: LocalEventBus;
  rules: readonly EditorAlertRule[];
  dataDir: string;
  deadLetters: DeadLetterSink;
  log: (line: string) => void;
}

/** Adds the alert rules to the bus. */
export function wireEditorAlerts(options: LocalEditorAlertsOptions): void {
  const inbox = new JsonLinesFile(editorInboxPath(options.dataDir));
  for (const rule of options.rules) {
    options.bus.addRule({
      name: rule.ruleName,
      pattern: rule.pattern,
      retryAttempts: rule.retryAttempts,
      maxEventAgeSeconds: rule.maxEventAgeSeconds,
      invoke: async (event) => {
        await inbox.append(event);
        options.log(`editor alert ${alertSummary(event)}`);
      },
      onFailure: (event, error) =>
        options.deadLetters.write({ source: 'event', functionName: rule.ruleName, error, payload: event }),
    });
  }
}

/** One line for a person: the event's type and its detail (which never holds reader secrets). */
export function alertSummary(event: BusEvent): string {
  return `${event['detail-type']} ${JSON.stringify(event.detail)}`;
}

/** Appends JSON lines, one write at a time, so concurrent deliveries never interleave. */
class JsonLinesFile {
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly path: string) {}

  append(value: unknown): Promise<void> {
    const line = `${JSON.stringify(value)}\n`;
    const write = async (): Promise<void> => {
      await mkdir(dirname(this.path), { recursive: true });
      await appendFile(this.path, line, 'utf8');
    };
    const next = this.writes.then(write, write);
    this.writes = next.catch(() => undefined);
    return next;
  }
}
