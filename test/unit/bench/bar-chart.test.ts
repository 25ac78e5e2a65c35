import { parseXml, XmlElement } from '@rgrove/parse-xml';
import { barChartSvg, escapeXml, grouped, tickStep, type BarChartSpec } from '../../../bench/charts/bar-chart';

const spec: BarChartSpec = {
  title: 'Cost per million votes',
  description: 'USD per million votes.',
  axisLabel: 'USD per million votes',
  series: ['this design', 'naive'],
  groups: [
    { label: '1,000 votes/s', values: [1.961, 4.467] },
    { label: '10,000 votes/s', detail: 'computed', values: [1.95, 4.467] },
  ],
  format: (usd) => `$${grouped(usd, 3)}`,
  tickFormat: (usd) => `$${grouped(usd)}`,
  references: [{ value: 2, label: 'goal: at most $2' }],
  notes: ['Measured on the local stack.'],
};

/** Every <text> element's content, in document order, entities decoded. */
const texts = (svg: string) =>
  [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((match) =>
    match[1]!
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&'),
  );

function child(element: XmlElement, name: string): XmlElement {
  const found = element.children.find((node): node is XmlElement => node instanceof XmlElement && node.name === name);
  if (!found) throw new Error(`No <${name}> in <${element.name}>`);
  return found;
}

/** The bars' rectangles: the plot's, not the background or the legend's swatches. */
const bars = (svg: string) =>
  [...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="20" fill="(#[0-9a-f]{6})"\/>/g)].map(
    (match) => ({ x: Number(match[1]), width: Number(match[3]), fill: match[4] }),
  );

/** The x of the gridline under a tick label. */
function tickX(svg: string, label: string): number {
  const match = new RegExp(
    `<text x="([\\d.]+)"[^>]*text-anchor="middle">${escapeRegExp(escapeXml(label))}</text>`,
  ).exec(svg);
  if (!match) throw new Error(`No tick labelled ${label}`);
  return Number(match[1]);
}
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('barChartSvg', () => {
  it('is well-formed SVG with a title and a description that states every value, for screen readers', () => {
    const svg = parseXml(barChartSvg(spec)).root!; // throws on malformed XML
    expect(svg.attributes.role).toBe('img');
    const [titleId, descId] = svg.attributes['aria-labelledby']!.split(' ');
    const title = child(svg, 'title');
    const desc = child(svg, 'desc');
    expect([title.attributes.id, title.text]).toEqual([titleId, 'Cost per million votes']);
    expect(desc.attributes.id).toBe(descId);
    expect(desc.text).toBe(
      'USD per million votes. 1,000 votes/s: this design $1.961, naive $4.467; ' +
        '10,000 votes/s: this design $1.950, naive $4.467. goal: at most $2 ($2.000).',
    );
  });

  it('prints every value on its bar and every label, the legend, the axis label and the notes', () => {
    const shown = texts(barChartSvg(spec));
    for (const expected of [
      '$1.961',
      '$4.467',
      '$1.950',
      '1,000 votes/s',
      '10,000 votes/s',
      'computed',
      'this design',
      'naive',
      'USD per million votes',
      'goal: at most $2',
      'Measured on the local stack.',
    ])
      expect(shown).toContain(expected);
  });

  it('draws bars from zero in proportion to their values, on ticks 1-2-5 apart', () => {
    const svg = barChartSvg(spec);
    const drawn = bars(svg);
    expect(drawn).toHaveLength(4);
    const zero = tickX(svg, '$0');
    const perDollar = tickX(svg, '$1') - zero;
    expect(drawn.every((bar) => bar.x === zero)).toBe(true);
    for (const [bar, value] of drawn.map((bar, i) => [bar, [1.961, 4.467, 1.95, 4.467][i]!] as const))
      expect(bar.width).toBeCloseTo(value * perDollar, 0);
    expect(tickX(svg, '$5') - zero).toBeCloseTo(5 * perDollar, 0); // the axis covers the largest bar
    expect(texts(svg)).not.toContain('$6');
    // One colour per series, the same in every group.
    expect(drawn.map((bar) => bar.fill)).toEqual([drawn[0]!.fill, drawn[1]!.fill, drawn[0]!.fill, drawn[1]!.fill]);
    expect(drawn[0]!.fill).not.toBe(drawn[1]!.fill);
  });

  it('stretches the axis to a reference line beyond every bar', () => {
    const svg = barChartSvg({ ...spec, references: [{ value: 12, label: 'far goal' }] });
    const perDollar = tickX(svg, '$2') - tickX(svg, '$0');
    expect(tickX(svg, '$12') - tickX(svg, '$0')).toBeCloseTo(6 * perDollar, 0);
  });

  it('has an opaque white background, so it reads on a dark page too', () => {
    expect(barChartSvg(spec)).toMatch(/<rect width="760" height="\d+" fill="#ffffff"/);
  });

  it('escapes text, so a label cannot break or inject markup', () => {
    const svg = barChartSvg({
      ...spec,
      title: 'A <b>"bold"</b> & \'quoted\' title',
      groups: [{ label: '<script>alert(1)</script>', values: [1, 2] }],
    });
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('<b>');
    expect(texts(svg)).toContain('<script>alert(1)</script>');
    expect(child(parseXml(svg).root!, 'title').text).toBe('A <b>"bold"</b> & \'quoted\' title');
  });

  it('gives the same bytes for the same figures', () => {
    const copy = { ...JSON.parse(JSON.stringify(spec)), format: spec.format, tickFormat: spec.tickFormat };
    expect(barChartSvg(copy)).toBe(barChartSvg(spec));
  });

  it('refuses what a bar from zero cannot show', () => {
    expect(() => barChartSvg({ ...spec, groups: [{ label: 'x', values: [1, -1] }] })).toThrow(/cannot be drawn/);
    expect(() => barChartSvg({ ...spec, groups: [{ label: 'x', values: [1, NaN] }] })).toThrow(/cannot be drawn/);
    expect(() => barChartSvg({ ...spec, groups: [{ label: 'x', values: [1] }] })).toThrow(/1 values for 2 series/);
  });
});

describe('tickStep', () => {
  it.each([
    [4.467, 1],
    [2605, 500],
    [22.4, 5],
    [0.3, 0.05],
    [0, 1],
  ])('steps an axis up to %p by %p', (max, step) => {
    expect(tickStep(max)).toBeCloseTo(step, 10);
  });
});

describe('grouped', () => {
  it('groups thousands and keeps decimals, whatever the host locale', () => {
    expect(grouped(1234567.891, 2)).toBe('1,234,567.89');
    expect(grouped(999)).toBe('999');
    expect(grouped(-1000.5, 1)).toBe('-1,000.5');
    expect(grouped(-0.0001, 2)).toBe('0.00');
  });
});
