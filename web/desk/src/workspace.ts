/**
 * The desk's working area once an editor is signed in: the views (the pending and flagged queues,
 * error reports, alerts) behind a navigation that shows each queue's count and the new alerts, one
 * live region for what was just done, the queue's keys, and the panels (reader, story, report)
 * any view opens. Views are kept while the editor moves between them; the counts are read again
 * every minute. `renderWorkspace` returns what stops it all (sign-out, an ended session).
 */
import type { DeskAuth, DeskUser } from './auth';
import { AlertsView } from './alerts-view';
import { DeskApi } from './api';
import { el, h } from './dom';
import { dialogOpen } from './panels';
import { QueueView } from './queue-view';
import { openReaderPanel } from './reader-panel';
import { openReportPanel } from './report-panel';
import { ReportsView } from './reports-view';
import type { DeskConfig, QueueStatus, Story } from './shapes';
import { openStoryPanel } from './story-panel';
import { strings } from './strings';

export interface DeskContext {
  config: DeskConfig;
  auth: DeskAuth;
  user: DeskUser;
}

/** What views and panels share: the API, the live region, each other. */
export interface Desk {
  api: DeskApi;
  user: DeskUser;
  /** False once the workspace is gone: answers arriving later are dropped. */
  alive(): boolean;
  /** Says `message` in the desk's live region (and shows it). */
  announce(message: string): void;
  openReader(readerId: string, name: string): void;
  openStory(articleId: string): void;
  /** `onChanged`: after the report moved. */
  openReport(reportId: string, onChanged?: () => void): void;
  /** The error reports view, filtered to a story (or not). */
  showReports(articleId: string | null): void;
  countsChanged(counts: Record<QueueStatus, number>): void;
  alertsChanged(count: number, more: boolean): void;
  /** The story, read once per page (headlines for lists); null if it is gone. */
  story(articleId: string): Promise<Story | null>;
  /** Where a reader sees the story: its canonical page, or the local stack's demo page. */
  storyPage(articleId: string, canonicalUrl: string | null): string | null;
}

/** A view of the desk: made once, shown again as the editor comes back to it. */
export interface View {
  readonly element: HTMLElement;
  /** Reads what the view shows (again). */
  show(): void;
  /** Moves the focus to the view's heading. */
  focus(): void;
  /** The view's own keys; true when the key was one of them. */
  onKey?(event: KeyboardEvent): boolean;
}

type ViewName = QueueStatus | 'reports' | 'alerts';
const VIEW_NAMES: ViewName[] = ['pending', 'flagged', 'reports', 'alerts'];
const REFRESH_MS = 60_000;
/** How long an announcement stays on screen (it is spoken at once). */
const ANNOUNCEMENT_MS = 8_000;

export function renderWorkspace(container: HTMLElement, context: DeskContext): () => void {
  const { config, auth, user } = context;
  const api = new DeskApi(config.api, auth);
  let alive = true;
  let quiet = 0;
  const announcer = h('div', { role: 'status', class: 'announcer' });
  const area = h('div', { class: 'view-area' });
  const stories = new Map<string, Promise<Story | null>>();
  const localStoryPages = new URL(config.api, window.location.href).origin === window.location.origin;

  const desk: Desk = {
    api,
    user,
    alive: () => alive,
    announce: (message) => {
      announcer.replaceChildren(el('p', message));
      window.clearTimeout(quiet);
      quiet = window.setTimeout(() => announcer.replaceChildren(), ANNOUNCEMENT_MS);
    },
    openReader: (readerId, name) => openReaderPanel(desk, readerId, name),
    openStory: (articleId) => openStoryPanel(desk, articleId),
    openReport: (reportId, onChanged) => openReportPanel(desk, reportId, onChanged),
    showReports: (articleId) => {
      reports.filterBy(articleId);
      navigate('reports');
    },
    countsChanged: (counts) => {
      for (const queue of ['pending', 'flagged'] as const) {
        links[queue].count.textContent = String(counts[queue]);
      }
    },
    alertsChanged: (count, more) => {
      links.alerts.count.textContent = count === 0 ? '' : `${count}${more ? '+' : ''}`;
      links.alerts.count.hidden = count === 0;
    },
    story: (articleId) => {
      let found = stories.get(articleId);
      if (!found) {
        found = api.story(articleId).catch(() => {
          stories.delete(articleId);
          return null;
        });
        stories.set(articleId, found);
      }
      return found;
    },
    storyPage: (articleId, canonicalUrl) =>
      webAddress(canonicalUrl) ?? (localStoryPages ? new URL(`/stories/${articleId}`, config.api).href : null),
  };

  const reports = new ReportsView(desk);
  const alerts = new AlertsView(desk, window.localStorage);
  const views: Record<ViewName, View> = {
    pending: new QueueView(desk, 'pending'),
    flagged: new QueueView(desk, 'flagged'),
    reports,
    alerts,
  };
  const labels: Record<ViewName, string> = {
    pending: strings.queueTab.pending,
    flagged: strings.queueTab.flagged,
    reports: strings.reportsTab,
    alerts: strings.alertsTab,
  };
  const links = Object.fromEntries(
    VIEW_NAMES.map((name) => {
      const count = h('span', { class: 'count' });
      if (name === 'alerts' || name === 'reports') count.hidden = true;
      return [name, { link: h('a', { href: `#${name}` }, labels[name], ' ', count), count }];
    }),
  ) as Record<ViewName, { link: HTMLAnchorElement; count: HTMLSpanElement }>;

  const nav = document.getElementById('desk-nav') ?? h('nav');
  nav.replaceChildren(h('ul', {}, ...VIEW_NAMES.map((name) => h('li', {}, links[name].link))));
  nav.setAttribute('aria-label', strings.views);
  nav.hidden = false;
  container.replaceChildren(area, announcer);

  let current: ViewName = 'pending';
  const viewOf = (hash: string): ViewName => {
    const name = hash.replace(/^#/, '') as ViewName;
    return VIEW_NAMES.includes(name) ? name : 'pending';
  };
  function show(name: ViewName, focus: boolean): void {
    current = name;
    for (const view of VIEW_NAMES) {
      if (view === name) links[view].link.setAttribute('aria-current', 'page');
      else links[view].link.removeAttribute('aria-current');
    }
    area.replaceChildren(views[name].element);
    views[name].show();
    if (focus) views[name].focus();
  }
  function navigate(name: ViewName): void {
    if (window.location.hash === `#${name}`) show(name, true);
    else window.location.hash = name;
  }
  const onHashChange = () => show(viewOf(window.location.hash), true);

  /** The queue's keys: never while the editor types, a dialog is open, or with a modifier. */
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || dialogOpen()) return;
    const target = event.target instanceof HTMLElement ? event.target : null;
    if (target?.closest('input, textarea, select, [contenteditable]:not([contenteditable="false"])')) return;
    if (views[current].onKey?.(event)) event.preventDefault();
  };

  const refreshCounts = () =>
    api.queue('pending', null, 1).then(
      (page) => alive && desk.countsChanged(page.counts),
      () => undefined,
    );
  const refresh = () => {
    if (document.hidden) return;
    void refreshCounts();
    void alerts.countNew();
  };

  window.addEventListener('hashchange', onHashChange);
  document.addEventListener('keydown', onKeyDown);
  const timer = window.setInterval(refresh, REFRESH_MS);
  const first = viewOf(window.location.hash);
  show(first, true);
  // A queue brings both counts, the alerts view what is new; whichever did not open, here.
  if (first !== 'pending' && first !== 'flagged') void refreshCounts();
  if (first !== 'alerts') void alerts.countNew();

  return () => {
    alive = false;
    window.removeEventListener('hashchange', onHashChange);
    document.removeEventListener('keydown', onKeyDown);
    window.clearInterval(timer);
    window.clearTimeout(quiet);
    for (const dialog of document.querySelectorAll('dialog')) dialog.remove();
    nav.replaceChildren();
    nav.hidden = true;
  };
}

/** A link the desk may show: http(s) only (a story's canonical URL comes from what was ingested). */
function webAddress(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}
