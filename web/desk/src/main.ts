/**
 * The desk's page: loads config.json, signs the editor in (auth.ts), and shows the workspace to
 * members of the editors group, a clear message to anyone else, and what to do after a sign-out,
 * an ended session or a failed sign-in.
 */
import { DeskAuth, isMember, SignInError, type AuthState, type DeskUser } from './auth';
import { browserEnvironment } from './browser-environment';
import { button, el } from './dom';
import type { DeskConfig } from './shapes';
import { renderWorkspace } from './workspace';

const main = document.getElementById('desk')!;
const account = document.getElementById('account')!;
/** The workspace on the page, and whose it is: kept across token refreshes, stopped at sign-out. */
let workspace: { subject: string; stop: () => void } | null = null;

async function start(): Promise<void> {
  let config: DeskConfig;
  try {
    const response = await fetch(new URL('config.json', window.location.href), { cache: 'no-cache' });
    if (!response.ok) throw new Error(`config.json answered ${response.status}`);
    config = (await response.json()) as DeskConfig;
  } catch {
    return show('The desk is unavailable', 'Its configuration could not be loaded. Reload the page to try again.', {
      alert: true,
    });
  }
  // Sign-in returns to the configured address: from another (localhost for 127.0.0.1, say), go
  // there first, or the answer would reach a tab that does not hold the sign-in's verifier.
  const home = new URL(config.auth.redirectUri);
  if (window.location.origin !== home.origin) return window.location.replace(home.href);

  const auth = new DeskAuth(config.auth, browserEnvironment());
  auth.onChange((state) => render(config, auth, state));
  window.addEventListener('pagehide', () => auth.stop());
  let state: AuthState;
  try {
    state = await auth.start();
  } catch (error) {
    const message =
      error instanceof SignInError ? error.message : 'The sign-in service could not be reached. Try again.';
    return show('Sign-in failed', message, { alert: true, action: ['Sign in again', () => void auth.signIn()] });
  }
  // Straight to the sign-in page, unless the editor has just signed out here.
  if (state.status === 'signed-out' && state.reason === 'none') return auth.signIn();
  render(config, auth, state);
}

function render(config: DeskConfig, auth: DeskAuth, state: AuthState): void {
  // A refreshed token signs the same editor in again: their work on the page stays as it is.
  if (state.status === 'signed-in' && workspace?.subject === state.user.subject) return;
  workspace?.stop();
  workspace = null;
  if (state.status === 'signed-out') {
    account.replaceChildren();
    return state.reason === 'session-ended'
      ? show('Your session has ended', 'Sign in again to go on working.', {
          action: ['Sign in', () => void auth.signIn()],
        })
      : show('Signed out', 'You have signed out of the newsroom desk.', {
          action: ['Sign in', () => void auth.signIn()],
        });
  }
  const { user } = state;
  account.replaceChildren(
    el('span', nameOf(user)),
    button('Sign out', () => void auth.signOut(), 'secondary'),
  );
  if (!isMember(user, config.editorGroup)) {
    return show(
      'Not an editor',
      `You are signed in as ${nameOf(user)}, who is not in the ${config.editorGroup} group, so the desk cannot show or change anything. ` +
        `Ask an administrator to add you to the ${config.editorGroup} group, then sign out and in again.`,
      { alert: true },
    );
  }
  workspace = { subject: user.subject, stop: renderWorkspace(main, { config, auth, user }) };
}

function show(
  heading: string,
  text: string,
  options: { alert?: boolean; action?: [label: string, onClick: () => void] } = {},
): void {
  const paragraph = el('p', text, options.alert ? { role: 'alert', class: 'alert' } : {});
  main.replaceChildren(el('h1', heading), paragraph, ...(options.action ? [button(...options.action)] : []));
  main.focus();
}

function nameOf(user: DeskUser): string {
  return user.email ?? user.username;
}

void start();
