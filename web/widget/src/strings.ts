import type { FlagReason } from '../../../shared/comments/reader-vocabulary';
import type { ErrorReportCategory } from '../../../shared/error-reports/report-vocabulary';
import { LANGUAGE_ATTRIBUTE } from './embedding';

/**
 * Everything the widget itself says to a reader, per language: English, the default, then every
 * other locale typed as `Strings`, so one missing or extra key fails `tsc`. What the API sends
 * (the poll's question and options, comments, its error messages) is shown as it comes.
 *
 * `{name}` placeholders are filled by `fill`, as text: the widget only ever sets text, never HTML.
 * A phrase that depends on a number is a plural, `{ one, other }`, chosen by `Intl.PluralRules`
 * (`other` also serves any form a language has beyond these, as Spanish `many` does).
 */
const en = {
  /** The locale that formats dates and chooses plurals; the reader's page may refine it (`es-MX`). */
  locale: 'en',

  // api.ts: what a failed request tells the reader
  unreachable: 'The newsroom could not be reached. What you typed is kept: try again.',
  tooManyTries: 'Too many tries from here. Try again in {wait}.',
  seconds: { one: '{count} second', other: '{count} seconds' },
  minutes: { one: '{count} minute', other: '{count} minutes' },
  serverFailed: 'Something went wrong on our side. What you typed is kept: try again.',
  readerBanned: 'You can no longer post, vote or flag here.',
  requestFailed: 'The request failed ({status})',

  // poll.ts
  pollTitle: 'My Take on This Story',
  showResults: 'Show results without voting',
  sendingVote: 'Sending your vote…',
  voteCounted: 'Thanks, your vote is counted.',
  alreadyVoted: 'You had already voted; your earlier vote stands.',
  results: 'Results',
  yourVote: '(your vote)',
  votes: { one: '{count} vote', other: '{count} votes' },

  // comments.ts
  comments: 'Comments',
  sort: 'Sort',
  newestFirst: 'Newest first',
  oldestFirst: 'Oldest first',
  topRated: 'Top rated',
  showing: 'Showing {shown} of {total} comments',
  showMoreComments: 'Show more comments',
  commentsClosed: 'Comments are closed on this story.',
  yourName: 'Your name',
  yourComment: 'Your comment',
  yourReply: 'Your reply',
  postComment: 'Post comment',
  reply: 'Reply',
  commentPending: 'Your comment is awaiting moderation.',
  commentPosted: 'Your comment is posted.',
  newComment: 'New comment by {author}.',
  commentBy: 'Comment by {author}',
  /** The author of an unnamed comment inside a sentence ("Comment by a reader")… */
  someReader: 'a reader',
  /** …and on its own, as the comment's byline. */
  anonymousAuthor: 'A reader',
  verified: 'verified',
  edited: 'edited',
  awaitingModeration: 'awaiting moderation',
  voteUp: 'Vote up',
  voteDown: 'Vote down',
  replies: 'Replies',
  moreReplies: { one: 'Show {count} more reply', other: 'Show {count} more replies' },
  flag: 'Flag',
  flagReason: 'Why should editors look at this?',
  flagReasons: {
    offensive: 'offensive',
    abusive: 'abusive',
    spam: 'spam',
    other: 'other',
  } satisfies Record<FlagReason, string>,
  sendFlag: 'Send flag',
  flagSent: 'Thanks, the editors will look at it.',
  edit: 'Edit',
  changeComment: 'Change your comment',
  save: 'Save',
  commentChanged: 'Your comment is changed.',
  delete: 'Delete',
  confirmDelete: 'Delete your comment? This cannot be undone.',
  commentDeleted: 'Your comment is deleted.',

  // report-error.ts
  reportToggle: 'To report an error on this story, notify our editors',
  reportForm: 'Report an error',
  whatIsWrong: 'What is wrong?',
  /** Every category the API takes, with what readers are shown. */
  categories: {
    factual: 'A fact is wrong',
    typo: 'A typo or spelling mistake',
    'broken-link': 'A broken link',
    'missing-context': 'Missing context',
    other: 'Something else',
  } satisfies Record<ErrorReportCategory, string>,
  describeError: 'Describe the error',
  quote: 'The words in question (optional)',
  contact: 'Your e-mail, if the editors may ask you (optional)',
  sendReport: 'Send to the editors',
  reportReceived: 'Thank you. The editors have your report (reference {reference}).',

  // corrections.ts
  corrections: 'Corrections',
  correctionsHeading: { one: 'Correction', other: 'Corrections' },
};

export type Strings = typeof en;

const es: Strings = {
  locale: 'es',

  unreachable: 'No se pudo conectar con la redacción. Lo que escribiste se conserva: inténtalo de nuevo.',
  tooManyTries: 'Demasiados intentos desde aquí. Vuelve a intentarlo en {wait}.',
  seconds: { one: '{count} segundo', other: '{count} segundos' },
  minutes: { one: '{count} minuto', other: '{count} minutos' },
  serverFailed: 'Algo falló por nuestra parte. Lo que escribiste se conserva: inténtalo de nuevo.',
  readerBanned: 'Ya no puedes comentar, votar ni denunciar aquí.',
  requestFailed: 'La solicitud falló ({status})',

  pollTitle: 'Mi opinión sobre esta noticia',
  showResults: 'Mostrar resultados sin votar',
  sendingVote: 'Enviando tu voto…',
  voteCounted: 'Gracias, hemos registrado tu voto.',
  alreadyVoted: 'Ya habías votado; se mantiene tu voto anterior.',
  results: 'Resultados',
  yourVote: '(tu voto)',
  votes: { one: '{count} voto', other: '{count} votos' },

  comments: 'Comentarios',
  sort: 'Ordenar',
  newestFirst: 'Más recientes primero',
  oldestFirst: 'Más antiguos primero',
  topRated: 'Mejor valorados',
  // "Se muestran 1 de 1 comentarios" would not agree in number; this wording holds for any count.
  showing: 'Comentarios mostrados: {shown} de {total}',
  showMoreComments: 'Mostrar más comentarios',
  commentsClosed: 'Los comentarios están cerrados en esta noticia.',
  yourName: 'Tu nombre',
  yourComment: 'Tu comentario',
  yourReply: 'Tu respuesta',
  postComment: 'Publicar comentario',
  reply: 'Responder',
  commentPending: 'Tu comentario está pendiente de moderación.',
  commentPosted: 'Tu comentario ha sido publicado.',
  newComment: 'Nuevo comentario de {author}.',
  commentBy: 'Comentario de {author}',
  someReader: 'un lector',
  anonymousAuthor: 'Un lector',
  verified: 'verificado',
  edited: 'editado',
  awaitingModeration: 'pendiente de moderación',
  voteUp: 'Votar a favor',
  voteDown: 'Votar en contra',
  replies: 'Respuestas',
  moreReplies: { one: 'Mostrar {count} respuesta más', other: 'Mostrar {count} respuestas más' },
  flag: 'Denunciar',
  flagReason: '¿Por qué deberían revisarlo los editores?',
  flagReasons: {
    offensive: 'ofensivo',
    abusive: 'abusivo',
    spam: 'spam',
    other: 'otro motivo',
  },
  sendFlag: 'Enviar denuncia',
  flagSent: 'Gracias, los editores lo revisarán.',
  edit: 'Editar',
  changeComment: 'Modifica tu comentario',
  save: 'Guardar',
  commentChanged: 'Tu comentario ha sido modificado.',
  delete: 'Eliminar',
  confirmDelete: '¿Eliminar tu comentario? Esta acción no se puede deshacer.',
  commentDeleted: 'Tu comentario ha sido eliminado.',

  reportToggle: 'Para comunicar un error en esta noticia, avisa a nuestros editores',
  reportForm: 'Comunicar un error',
  whatIsWrong: '¿Cuál es el error?',
  categories: {
    factual: 'Un dato es incorrecto',
    typo: 'Una errata o falta de ortografía',
    'broken-link': 'Un enlace roto',
    'missing-context': 'Falta contexto',
    other: 'Otra cosa',
  },
  describeError: 'Describe el error',
  quote: 'El texto en cuestión (opcional)',
  contact: 'Tu correo electrónico, por si los editores necesitan consultarte (opcional)',
  sendReport: 'Enviar a los editores',
  reportReceived: 'Gracias. Los editores han recibido tu aviso (referencia {reference}).',

  corrections: 'Correcciones',
  correctionsHeading: { one: 'Corrección', other: 'Correcciones' },
};

/** The locales by language subtag; a page's `es-MX` uses `es`. */
const LOCALES = new Map<string, Strings>([
  ['en', en],
  ['es', es],
]);

/**
 * The `lang` that applies to `element`: its own, else its nearest ancestor's, looking out of
 * shadow roots too, so a part inside `<newsroom-story lang="es">` and a widget on
 * `<html lang="es">` both find it. Empty when nothing declares one.
 */
export function declaredLanguage(element: Element): string {
  for (let node: Node | null = element; node; node = node instanceof ShadowRoot ? node.host : node.parentNode) {
    if (node instanceof Element && node.hasAttribute(LANGUAGE_ATTRIBUTE)) return node.getAttribute(LANGUAGE_ATTRIBUTE)!;
  }
  return '';
}

/**
 * The strings for a declared language: its locale's, formatting as the tag says (`es-MX` dates
 * are Mexican); English when the tag is empty, malformed or in a language without a locale here.
 */
export function stringsFor(declared: string): Strings {
  try {
    const tag = new Intl.Locale(declared);
    const strings = LOCALES.get(tag.language);
    if (strings) return { ...strings, locale: tag.toString() };
  } catch {
    // `new Intl.Locale` refuses an empty or malformed tag: English, as for an unknown language.
  }
  return en;
}

/** `template` with each `{name}` replaced by `values[name]`, as plain text. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name]));
}

type Plural = { other: string } & Partial<Record<Intl.LDMLPluralRule, string>>;

/** The form of `forms` that `count` takes in the strings' language, with `{count}` filled. */
export function plural(strings: Strings, forms: Plural, count: number): string {
  return fill(forms[new Intl.PluralRules(strings.locale).select(count)] ?? forms.other, { count });
}
