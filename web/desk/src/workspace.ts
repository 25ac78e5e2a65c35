/**
 * The desk's working area, shown once an editor is signed in: for now, who is signed in. The
 * queues, readers, stories and error reports are built here on top of `context.auth.fetch`, which
 * sends the editor's access token to the API (`context.config.api`) and refreshes it as needed.
 */
import type { DeskAuth, DeskUser } from './auth';
import { el } from './dom';
import type { DeskConfig } from './shapes';

export interface DeskContext {
  config: DeskConfig;
  auth: DeskAuth;
  user: DeskUser;
}

export function renderWorkspace(container: HTMLElement, context: DeskContext): void {
  container.replaceChildren(
    el('h1', 'Desk'),
    el('p', `Signed in as ${context.user.email ?? context.user.username}, in the ${context.config.editorGroup} group.`),
  );
}
