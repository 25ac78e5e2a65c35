import { ERROR_REPORT_CATEGORIES } from '../../../shared/error-reports/report-vocabulary';
import { readable } from './api';
import { append, h, shadow } from './dom';
import { NewsroomElement } from './element';
import { fill } from './strings';

/**
 * "To report an error on this story, notify our editors": a disclosure that opens a form with the
 * categories, a description, an optional quote (prefilled from the reader's selection on the
 * page) and an optional e-mail, and says clearly when the editors have the report.
 */
export class NewsroomReportError extends NewsroomElement {
  protected async render(): Promise<void> {
    const root = shadow(this, 'form{border:1px solid var(--_line);border-radius:6px;padding:1em;margin-top:.5em}');
    const panel = h('div', { id: 'report-panel', hidden: true });
    const toggle = h(
      'button',
      {
        type: 'button',
        className: 'linkish',
        'aria-expanded': 'false',
        'aria-controls': 'report-panel',
        onclick: () => {
          const opening = panel.hidden;
          panel.hidden = !opening;
          toggle.setAttribute('aria-expanded', String(opening));
          if (opening) this.open(panel);
        },
      },
      this.strings.reportToggle,
    );
    append(root, h('div', { part: 'report' }, toggle, panel));
  }

  private open(panel: HTMLElement): void {
    if (panel.firstChild) return;
    const selected = (document.getSelection()?.toString() ?? '').trim().slice(0, 500);
    const category = h(
      'select',
      { id: 'category', required: true },
      ...ERROR_REPORT_CATEGORIES.map((value) => h('option', { value }, this.strings.categories[value])),
    );
    const description = h('textarea', { id: 'description', required: true, minLength: 10, maxLength: 2000 });
    const quote = h('input', { id: 'quote', maxLength: 500, value: selected });
    const contact = h('input', { id: 'contact', type: 'email', autocomplete: 'email' });
    const message = h('p', { role: 'alert', className: 'error' });
    const submit = h('button', { type: 'submit', className: 'primary' }, this.strings.sendReport);
    const form = h(
      'form',
      {
        'aria-label': this.strings.reportForm,
        noValidate: true,
        onsubmit: async (event: Event) => {
          event.preventDefault();
          submit.disabled = true;
          message.textContent = '';
          try {
            const api = await this.api();
            const report = await api.write<{ reportId: string }>('POST', `/articles/${this.articleId}/error-reports`, {
              category: category.value,
              description: description.value,
              ...(quote.value.trim() ? { quote: quote.value } : {}),
              ...(contact.value.trim() ? { contact: contact.value } : {}),
            });
            const thanks = h(
              'p',
              { role: 'status', tabIndex: -1 },
              fill(this.strings.reportReceived, { reference: report.reportId }),
            );
            form.replaceWith(thanks);
            thanks.focus();
          } catch (error) {
            message.textContent = readable(error, this.strings);
            submit.disabled = false;
          }
        },
      },
      h('label', { htmlFor: 'category' }, this.strings.whatIsWrong),
      category,
      h('label', { htmlFor: 'description' }, this.strings.describeError),
      description,
      h('label', { htmlFor: 'quote' }, this.strings.quote),
      quote,
      h('label', { htmlFor: 'contact' }, this.strings.contact),
      contact,
      message,
      submit,
    );
    append(panel, form);
    category.focus();
  }
}
