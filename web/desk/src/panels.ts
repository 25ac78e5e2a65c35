/**
 * The desk's panels and its one confirmation, as modal `<dialog>`s: the browser keeps focus inside,
 * Escape closes, and the page behind is inert. Focus goes back to what opened them.
 */
import { button, el, h, uid } from './dom';
import { strings } from './strings';

export interface Panel {
  dialog: HTMLDialogElement;
  /** Where the panel's content goes. */
  body: HTMLElement;
  heading: HTMLHeadingElement;
  close(): void;
}

/** Opens a panel titled `title` (a side sheet on wide screens); `onClosed` runs once it is gone. */
export function openPanel(title: string, onClosed?: () => void): Panel {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const headingId = uid('panel-title');
  const heading = h('h2', { id: headingId, tabindex: '-1' }, title);
  const body = h('div', { class: 'panel-body' });
  const dialog = h('dialog', { class: 'panel', 'aria-labelledby': headingId });
  const close = () => dialog.close();
  dialog.append(h('div', { class: 'panel-head' }, heading, button(strings.close, close, 'secondary')), body);
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (opener?.isConnected) opener.focus();
    onClosed?.();
  });
  document.body.append(dialog);
  dialog.showModal();
  heading.focus();
  return { dialog, body, heading, close };
}

/**
 * Asks before something final. Resolves true only for the confirming button; Cancel, Escape and
 * closing resolve false. Cancel has the focus first, so a stray Enter changes nothing.
 */
export function confirmDialog(title: string, text: string, confirmLabel: string): Promise<boolean> {
  return new Promise((resolve) => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const titleId = uid('confirm-title');
    const textId = uid('confirm-text');
    const dialog = h('dialog', {
      class: 'confirm',
      role: 'alertdialog',
      'aria-labelledby': titleId,
      'aria-describedby': textId,
    });
    let confirmed = false;
    const cancel = button(strings.cancel, () => dialog.close(), 'secondary');
    const confirm = button(
      confirmLabel,
      () => {
        confirmed = true;
        dialog.close();
      },
      'danger',
    );
    dialog.append(
      el('h2', title, { id: titleId }),
      el('p', text, { id: textId }),
      h('div', { class: 'actions' }, confirm, cancel),
    );
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (opener?.isConnected) opener.focus();
      resolve(confirmed);
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}

/** Whether a dialog is open: the desk's keys are the dialog's then. */
export function dialogOpen(): boolean {
  return document.querySelector('dialog[open]') !== null;
}
