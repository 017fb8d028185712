// A run's accuracy as a badge: the shields.io endpoint JSON (https://shields.io/badges/endpoint-badge)
// and an equivalent self-contained flat SVG for places that cannot call shields.io.

export interface BadgeInput {
  /** e.g. "GMAI-MMBench VAL". */
  readonly label: string;
  readonly correct: number;
  readonly n: number;
}

export interface ShieldsEndpoint {
  readonly schemaVersion: 1;
  readonly label: string;
  readonly message: string;
  readonly color: string;
}

/** Accuracy bands → shields.io named colours, best first (chance on 4–5 options is ~25%). */
const BANDS: ReadonlyArray<readonly [minimum: number, name: string, hex: string]> = [
  [0.6, 'brightgreen', '#4c1'],
  [0.5, 'green', '#97ca00'],
  [0.4, 'yellow', '#dfb317'],
  [0.3, 'orange', '#fe7d37'],
  [0, 'red', '#e05d44'],
];
const NO_DATA: readonly [number, string, string] = [0, 'lightgrey', '#9f9f9f'];

function band(input: BadgeInput): readonly [number, string, string] {
  if (input.n === 0) return NO_DATA;
  return BANDS.find(([minimum]) => input.correct / input.n >= minimum) ?? NO_DATA;
}

/** "53.5% (2,435/4,550)" with one decimal; "no data" for an empty run. */
export function badgeMessage(input: BadgeInput): string {
  if (input.n === 0) return 'no data';
  const count = (x: number) => x.toLocaleString('en-US');
  return `${((100 * input.correct) / input.n).toFixed(1)}% (${count(input.correct)}/${count(input.n)})`;
}

export function shieldsEndpoint(input: BadgeInput): ShieldsEndpoint {
  return { schemaVersion: 1, label: input.label, message: badgeMessage(input), color: band(input)[1] };
}

/** A flat badge like shields.io's (Verdana 11 px; widths estimated per character class). */
export function badgeSvg(input: BadgeInput): string {
  const label = input.label;
  const message = badgeMessage(input);
  const left = textWidth(label) + 10;
  const right = textWidth(message) + 10;
  const width = left + right;
  const title = escapeXml(`${label}: ${message}`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" role="img" aria-label="${title}">`,
    `<title>${title}</title>`,
    `<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>`,
    `<clipPath id="r"><rect width="${width}" height="20" rx="3" fill="#fff"/></clipPath>`,
    `<g clip-path="url(#r)"><rect width="${left}" height="20" fill="#555"/><rect x="${left}" width="${right}" height="20" fill="${band(input)[2]}"/><rect width="${width}" height="20" fill="url(#s)"/></g>`,
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">`,
    `<text x="${left / 2}" y="14">${escapeXml(label)}</text>`,
    `<text x="${left + right / 2}" y="14">${escapeXml(message)}</text>`,
    `</g></svg>`,
  ].join('');
}

/** Approximate Verdana 11 px advance widths, enough to size the boxes. */
function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[iljI.,:;'|!() ]/.test(ch) ? 4 : /[mwMW%]/.test(ch) ? 10 : /[A-Z0-9]/.test(ch) ? 7.5 : 6.5;
  return Math.ceil(width);
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}
