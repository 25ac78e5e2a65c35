/**
 * Horizontal bar charts as standalone SVG, for the figures `npm run bench` measures.
 *
 * Hand-written rather than a charting library: every chart here is bars against one value axis,
 * which is about 150 lines of layout. The libraries that render SVG without a browser weigh far
 * more than that (Vega and Vega-Lite: 27 vega-* packages and the d3 modules under them; Chart.js
 * and Chartist draw into a canvas or a DOM), and none writes the <title>/<desc> pair, the explicit
 * background and the byte-for-byte repeatable output that these charts need.
 *
 * What the output promises:
 * - accessible: `role="img"` labelled by a <title> and described by a <desc> that states every value;
 * - readable on GitHub's light and dark themes: an opaque white background and dark text, colours
 *   from the Okabe–Ito palette (told apart by readers with colour-vision deficiencies);
 * - every bar's value printed at its end, ticks on a 1-2-5 scale from zero, a labelled axis;
 * - deterministic: the same spec gives the same bytes (no dates, no locale, coordinates rounded),
 *   so a committed chart changes only when its figures do.
 */

export interface BarGroup {
  /** The row's name, left of its bars. */
  label: string;
  /** A second, smaller line under the label: where the figure comes from, say. */
  detail?: string;
  /** One value per series, in the order of `series`. */
  values: readonly number[];
}

/** A vertical dashed line across the plot: a goal, a budget. */
export interface ReferenceLine {
  value: number;
  label: string;
}

export interface BarChartSpec {
  title: string;
  /** Read by screen readers in place of the picture; the values are appended to it. */
  description: string;
  /** Under the value axis: what is measured and in which unit. */
  axisLabel: string;
  /** The series' names; with more than one, a legend names their colours. */
  series: readonly string[];
  groups: readonly BarGroup[];
  /** How a value is written on its bar and in the description. */
  format: (value: number) => string;
  /** How a tick is written, when it needs fewer digits than a value (`$2` beside `$1.961`). */
  tickFormat?: (value: number) => string;
  references?: readonly ReferenceLine[];
  /** Small print under the chart: the run, the method, the caveats. */
  notes?: readonly string[];
}

const WIDTH = 760;
const PAD = 16;
const FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";
const TEXT = '#1f2328';
const MUTED = '#59636e';
const GRID = '#d1d9e0';
const COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#56b4e9', '#e69f00'];
const BAR = 20;
const BAR_GAP = 4;
const GROUP_GAP = 18;

/** Text must be escaped wherever it lands: labels come from figures and file names. */
export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[char]!,
  );
}

/** `1234.5` → `1,234.5`: grouped without the host's locale, so output does not vary by machine. */
export function grouped(value: number, decimals = 0): string {
  const [whole, fraction] = Math.abs(value).toFixed(decimals).split('.') as [string, string | undefined];
  const sign = value < 0 && Number(value.toFixed(decimals)) !== 0 ? '-' : '';
  return sign + whole.replace(/\B(?=(\d{3})+$)/g, ',') + (fraction ? `.${fraction}` : '');
}

/**
 * Text width in pixels, estimated: there is no font engine here, and an estimate that errs wide
 * only leaves a little more room. 0.6 em is about the widest average of the usual sans-serif faces.
 */
const textWidth = (text: string, size: number) => text.length * size * 0.6;

/** Splits text into lines that fit `width` pixels at `size`, at spaces. */
function wrap(text: string, width: number, size: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && textWidth(next, size) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/** The axis' tick step: 1, 2 or 5 times a power of ten, giving at most `maxTicks` intervals. */
export function tickStep(max: number, maxTicks = 6): number {
  if (max <= 0) return 1;
  const rough = max / maxTicks;
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= rough)!;
}

const round = (n: number) => Math.round(n * 10) / 10;

function text(x: number, y: number, content: string, attributes = ''): string {
  return `<text x="${round(x)}" y="${round(y)}"${attributes ? ` ${attributes}` : ''}>${escapeXml(content)}</text>`;
}

export function barChartSvg(spec: BarChartSpec): string {
  for (const group of spec.groups) {
    if (group.values.length !== spec.series.length)
      throw new Error(`"${group.label}" has ${group.values.length} values for ${spec.series.length} series`);
    for (const value of group.values)
      if (!Number.isFinite(value) || value < 0)
        throw new Error(`"${group.label}": bars start at zero, so ${value} cannot be drawn`);
  }
  const references = spec.references ?? [];
  const values = spec.groups.flatMap((group) => group.values);
  const step = tickStep(Math.max(0, ...values, ...references.map((line) => line.value)));
  const axisMax = Math.max(step, Math.ceil(Math.max(0, ...values, ...references.map((r) => r.value)) / step) * step);

  const labelWidth = Math.min(
    WIDTH * 0.42,
    Math.max(...spec.groups.flatMap((g) => [textWidth(g.label, 13), textWidth(g.detail ?? '', 11)])) + 12,
  );
  const valueRoom = Math.max(...values.map((v) => textWidth(spec.format(v), 12))) + 10;
  const plotLeft = PAD + labelWidth;
  const plotRight = WIDTH - PAD - valueRoom;
  const x = (value: number) => plotLeft + (value / axisMax) * (plotRight - plotLeft);

  const parts: string[] = [];
  let y = PAD + 18;
  for (const line of wrap(spec.title, WIDTH - 2 * PAD, 17)) {
    parts.push(text(PAD, y, line, `font-size="17" font-weight="600"`));
    y += 22;
  }
  if (spec.series.length > 1) {
    let legendX = PAD;
    for (const [i, name] of spec.series.entries()) {
      parts.push(
        `<rect x="${legendX}" y="${round(y - 2)}" width="12" height="12" fill="${COLOURS[i % COLOURS.length]}"/>`,
      );
      parts.push(text(legendX + 17, y + 8, name, 'font-size="13"'));
      legendX += 17 + textWidth(name, 13) + 20;
    }
    y += 22;
  }
  // Room above the plot for the reference lines' labels.
  const plotTop = y + (references.length ? 20 : 6);

  const bars: string[] = [];
  let rowTop = plotTop;
  for (const group of spec.groups) {
    const barsHeight = group.values.length * BAR + (group.values.length - 1) * BAR_GAP;
    // A label with a detail line takes two lines of text, however few its bars.
    const height = Math.max(barsHeight, group.detail ? 34 : 0);
    const barsTop = rowTop + (height - barsHeight) / 2;
    const middle = rowTop + height / 2;
    bars.push(text(plotLeft - 10, middle + (group.detail ? -2 : 4.5), group.label, 'font-size="13" text-anchor="end"'));
    if (group.detail)
      bars.push(text(plotLeft - 10, middle + 12, group.detail, `font-size="11" fill="${MUTED}" text-anchor="end"`));
    for (const [i, value] of group.values.entries()) {
      const top = barsTop + i * (BAR + BAR_GAP);
      bars.push(
        `<rect x="${round(plotLeft)}" y="${round(top)}" width="${round(x(value) - plotLeft)}" height="${BAR}" fill="${COLOURS[i % COLOURS.length]}"/>`,
      );
      bars.push(
        text(
          x(value) + 5,
          top + BAR / 2 + 4.5,
          spec.format(value),
          'font-size="12" stroke="#ffffff" stroke-width="4" stroke-linejoin="round" paint-order="stroke"',
        ),
      );
    }
    rowTop += height + GROUP_GAP;
  }
  const plotBottom = rowTop - GROUP_GAP + 8;

  const tickFormat = spec.tickFormat ?? spec.format;
  // Ticks by index, not by adding steps: 0.1 + 0.2 must not print as 0.30000000000000004.
  for (let index = 0; index * step <= axisMax * (1 + 1e-9); index++) {
    const tick = Number((index * step).toPrecision(12));
    const tickX = x(tick);
    parts.push(
      `<line x1="${round(tickX)}" y1="${round(plotTop - 4)}" x2="${round(tickX)}" y2="${round(plotBottom)}" stroke="${tick === 0 ? MUTED : GRID}"/>`,
    );
    parts.push(text(tickX, plotBottom + 16, tickFormat(tick), `font-size="11" fill="${MUTED}" text-anchor="middle"`));
  }
  // Reference lines under the bars, their labels above the plot, and every value on a white halo,
  // so that no line crosses a figure.
  for (const line of references) {
    const lineX = x(line.value);
    parts.push(
      `<line x1="${round(lineX)}" y1="${round(plotTop - 6)}" x2="${round(lineX)}" y2="${round(plotBottom)}" stroke="${TEXT}" stroke-width="1.5" stroke-dasharray="5 3"/>`,
    );
    const anchor = lineX > (plotLeft + plotRight) / 2 ? 'end' : 'start';
    parts.push(
      text(lineX + (anchor === 'end' ? -4 : 4), plotTop - 9, line.label, `font-size="12" text-anchor="${anchor}"`),
    );
  }
  parts.push(...bars);
  y = plotBottom + 36;
  parts.push(text((plotLeft + plotRight) / 2, y, spec.axisLabel, 'font-size="13" text-anchor="middle"'));
  y += 8;
  for (const note of spec.notes ?? []) {
    for (const line of wrap(note, WIDTH - 2 * PAD, 11)) {
      y += 15;
      parts.push(text(PAD, y, line, `font-size="11" fill="${MUTED}"`));
    }
  }
  const height = Math.ceil(y + PAD);

  const id = spec.title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
  const said = spec.groups
    .map(
      (group) =>
        `${group.label}: ${group.values.map((v, i) => (spec.series.length > 1 ? `${spec.series[i]} ${spec.format(v)}` : spec.format(v))).join(', ')}`,
    )
    .join('; ');
  const referencesSaid = references.map((line) => `${line.label} (${spec.format(line.value)})`).join('; ');
  const description = [spec.description, `${said}.`, referencesSaid && `${referencesSaid}.`].filter(Boolean).join(' ');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc" font-family="${FONT}" fill="${TEXT}">`,
    `<title id="${id}-title">${escapeXml(spec.title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(description)}</desc>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff" stroke="${GRID}"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
