import { MalformedFileError } from './malformed-file-error';

export type XmlToken = 'open' | 'close' | 'text' | 'end';

/** No further '<!' or '<?' in the document. */
const NONE = Number.MAX_SAFE_INTEGER;
const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const COLON = 0x3a;
const EQUALS = 0x3d;
const BANG = 0x21;
const QUESTION = 0x3f;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;

/**
 * A pull scanner over one XML document in a string: just enough XML for the OOXML parts of an
 * .xlsx, with no DOM and no object per token (the current token is read from the scanner's fields).
 * Namespace prefixes are dropped (writers emit SpreadsheetML both with and without them); comments
 * and processing instructions are skipped; a DOCTYPE is refused, so no entity can expand. Text is
 * returned as an XML parser reports it: line ends normalized to '\n', entities and character
 * references decoded, CDATA taken literally.
 */
export class XmlScanner {
  /** The current 'open' token is `<name … />`: no 'close' token follows it. */
  selfClosing = false;
  private position = 0;
  /** The current tag's qualified name is xml[nameStart, nameEnd), its local name starts at localStart. */
  private nameStart = 0;
  private localStart = 0;
  private nameEnd = 0;
  private attributesStart = 0;
  private attributesEnd = 0;
  private textStart = 0;
  private textEnd = 0;
  private textIsCdata = false;
  /** Where the next '<!' (comment, CDATA) or '<?' starts, once looked up; NONE when there is none. */
  private nextMarkup = -1;
  /** The element name skipElement last jumped over, and the tags it searches for. */
  private skipName = '';
  private skipOpen = '';
  private skipClose = '';

  /** `part` names the document in error messages (e.g. the zip entry). */
  constructor(
    private readonly xml: string,
    readonly part: string,
  ) {}

  /** The document's text, for a caller's own fast path over a plain stretch of it (see `noMarkupAhead`). */
  get source(): string {
    return this.xml;
  }

  /** Where the next token starts; a fast path that read on by itself sets where the scanner resumes. */
  get offset(): number {
    return this.position;
  }

  set offset(position: number) {
    this.position = position;
    // Found from the old position: after a jump back, a markup before it could be missed.
    this.nextMarkup = -1;
  }

  /**
   * No comment, CDATA section or processing instruction follows the current position, so from here on
   * every '<' opens a tag and text holds no '<' (entities aside).
   */
  noMarkupAhead(): boolean {
    return !this.markupBefore(this.xml.length);
  }

  /** Local name of the current 'open' or 'close' token. */
  get name(): string {
    return this.xml.slice(this.localStart, this.nameEnd);
  }

  /** The current 'open' or 'close' token's local name is `localName` (compared in place: runs for every cell). */
  is(localName: string): boolean {
    return this.nameEnd - this.localStart === localName.length && this.xml.startsWith(localName, this.localStart);
  }

  next(): XmlToken {
    const xml = this.xml;
    while (this.position < xml.length) {
      const start = this.position;
      if (xml.charCodeAt(start) !== LT) {
        const lt = xml.indexOf('<', start);
        this.setText(start, lt === -1 ? xml.length : lt, false);
        this.position = this.textEnd;
        return 'text';
      }
      const second = xml.charCodeAt(start + 1);
      if (second === QUESTION) {
        this.position = this.indexAfter('?>', start + 2, 'processing instruction');
        continue;
      }
      if (second === BANG) {
        if (xml.startsWith('<![CDATA[', start)) {
          const end = this.indexAfter(']]>', start + 9, 'CDATA section');
          this.setText(start + 9, end - 3, true);
          this.position = end;
          return 'text';
        }
        if (xml.startsWith('<!--', start)) {
          this.position = this.indexAfter('-->', start + 4, 'comment');
          continue;
        }
        this.fail('DOCTYPE and entity declarations are not allowed');
      }
      return this.readTag(start, second === SLASH);
    }
    return 'end';
  }

  /** Value of an attribute of the current 'open' token, by local name (entities decoded). */
  attribute(localName: string): string | undefined {
    const xml = this.xml;
    let at = this.attributesStart;
    while (at < this.attributesEnd) {
      if (isXmlSpace(xml.charCodeAt(at))) {
        at++;
        continue;
      }
      // Compared in place: this runs for every cell, so it must not allocate.
      const nameStart = at;
      let localStart = at;
      for (let code = xml.charCodeAt(at); code !== EQUALS && !isXmlSpace(code); code = xml.charCodeAt(++at)) {
        if (at >= this.attributesEnd) this.fail(`malformed attributes in <${this.name}>`);
        if (code === COLON) localStart = at + 1;
      }
      const nameEnd = at;
      while (isXmlSpace(xml.charCodeAt(at))) at++;
      if (xml.charCodeAt(at) !== EQUALS) this.fail(`malformed attributes in <${this.name}>`);
      at++;
      while (isXmlSpace(xml.charCodeAt(at))) at++;
      const quote = xml.charCodeAt(at);
      const close = quote === DOUBLE_QUOTE || quote === SINGLE_QUOTE ? xml.indexOf(xml.charAt(at), at + 1) : -1;
      if (close === -1 || close >= this.attributesEnd) this.fail(`malformed attribute value in <${this.name}>`);
      const matches = nameEnd - localStart === localName.length && xml.startsWith(localName, localStart) && !xml.startsWith('xmlns', nameStart);
      if (matches) return this.decodeText(xml.slice(at + 1, close));
      at = close + 1;
    }
    return undefined;
  }

  /** The current 'text' token's content. */
  text(): string {
    const raw = this.xml.slice(this.textStart, this.textEnd);
    return this.textIsCdata ? normalizeLineEnds(raw) : this.decodeText(raw);
  }

  /** Text of the element just opened (its 'open' token was current), up to its closing tag. */
  elementText(): string {
    if (this.selfClosing) return '';
    const name = this.name;
    let text = '';
    for (;;) {
      const token = this.next();
      if (token === 'text') text += this.text();
      else if (token === 'close' && this.is(name)) return text;
      else if (token === 'end') this.fail(`unterminated <${name}>`);
    }
  }

  /** Moves past the end of the element just opened, reading nothing of its content. */
  skipElement(): void {
    if (this.selfClosing) return;
    if (this.skipPlainElement()) return;
    const name = this.name;
    for (let depth = 1; depth > 0; ) {
      const token = this.next();
      if (token === 'end') this.fail(`unterminated <${name}>`);
      if (!this.is(name)) continue;
      if (token === 'open' && !this.selfClosing) depth++;
      else if (token === 'close') depth--;
    }
  }

  /**
   * The fast path of skipElement (a quarter of the cells of a VLMEvalKit sheet are read, the rest
   * skipped): jumps to the first closing tag of the same qualified name when nothing before it can
   * hide or nest one (no comment, CDATA, processing instruction or same-name element in between).
   */
  private skipPlainElement(): boolean {
    const xml = this.xml;
    const qualifiedLength = this.nameEnd - this.nameStart;
    if (this.skipName.length !== qualifiedLength || !xml.startsWith(this.skipName, this.nameStart)) {
      this.skipName = xml.slice(this.nameStart, this.nameEnd);
      this.skipOpen = `<${this.skipName}`;
      this.skipClose = `</${this.skipName}`;
    }
    let close = this.position;
    for (;;) {
      close = xml.indexOf(this.skipClose, close);
      if (close === -1) return false;
      const after = xml.charCodeAt(close + 2 + qualifiedLength);
      if (after === GT || isXmlSpace(after)) break;
      close += 2;
    }
    if (this.markupBefore(close)) return false;
    const nested = xml.indexOf(this.skipOpen, this.position);
    if (nested !== -1 && nested < close && isNameEnd(xml.charCodeAt(nested + 1 + qualifiedLength))) return false;
    this.position = xml.indexOf('>', close) + 1;
    return true;
  }

  /** A comment, CDATA section or processing instruction starts between `position` and `end`. */
  private markupBefore(end: number): boolean {
    if (this.nextMarkup < this.position) this.nextMarkup = this.markupFrom(this.position);
    return this.nextMarkup < end;
  }

  /**
   * Where the first '<!' or '<?' at or after `from` starts, or NONE. Searched by its rare second
   * character, not by '<', which comes every few characters and would make indexOf crawl.
   */
  private markupFrom(from: number): number {
    const xml = this.xml;
    let first = NONE;
    for (const mark of ['!', '?']) {
      for (let at = xml.indexOf(mark, from + 1); at !== -1 && at - 1 < first; at = xml.indexOf(mark, at + 1)) {
        if (xml.charCodeAt(at - 1) === LT) {
          first = at - 1;
          break;
        }
      }
    }
    return first;
  }

  fail(message: string): never {
    throw new MalformedFileError(`${this.part}: ${message}`);
  }

  private readTag(start: number, isClose: boolean): XmlToken {
    const xml = this.xml;
    const nameStart = start + (isClose ? 2 : 1);
    let localStart = nameStart;
    let at = nameStart;
    for (let code = xml.charCodeAt(at); at < xml.length && !isNameEnd(code); code = xml.charCodeAt(++at)) {
      if (code === COLON) localStart = at + 1;
    }
    if (at === nameStart) this.fail('malformed tag');
    this.nameStart = nameStart;
    this.localStart = localStart;
    this.nameEnd = at;
    this.attributesStart = at;
    // The tag ends at the first '>' outside a quoted attribute value (values may hold '>').
    for (;;) {
      const gt = xml.indexOf('>', at);
      const quote = firstQuote(xml, at, gt === -1 ? xml.length : gt);
      if (quote === -1) {
        if (gt === -1) this.fail(`unterminated tag <${this.name}`);
        at = gt;
        break;
      }
      const close = xml.indexOf(xml.charAt(quote), quote + 1);
      if (close === -1) this.fail(`unterminated attribute value in <${this.name}>`);
      at = close + 1;
    }
    this.selfClosing = !isClose && xml.charCodeAt(at - 1) === SLASH;
    this.attributesEnd = this.selfClosing ? at - 1 : at;
    this.position = at + 1;
    return isClose ? 'close' : 'open';
  }

  private setText(start: number, end: number, isCdata: boolean): void {
    this.textStart = start;
    this.textEnd = end;
    this.textIsCdata = isCdata;
  }

  private indexAfter(terminator: string, from: number, what: string): number {
    const at = this.xml.indexOf(terminator, from);
    if (at === -1) this.fail(`unterminated ${what}`);
    return at + terminator.length;
  }

  /** Raw text or attribute value as an XML parser reports it: line ends normalized, references decoded. */
  decodeText(raw: string): string {
    const text = normalizeLineEnds(raw);
    let ampersand = text.indexOf('&');
    if (ampersand === -1) return text;
    let decoded = '';
    let copied = 0;
    while (ampersand !== -1) {
      const semicolon = text.indexOf(';', ampersand);
      if (semicolon === -1) this.fail('unescaped "&" in text');
      decoded += text.slice(copied, ampersand) + this.resolveReference(text.slice(ampersand + 1, semicolon));
      copied = semicolon + 1;
      ampersand = text.indexOf('&', copied);
    }
    return decoded + text.slice(copied);
  }

  private resolveReference(reference: string): string {
    // A Map, so names like "constructor" are not found on Object.prototype.
    const predefined = PREDEFINED_ENTITIES.get(reference);
    if (predefined !== undefined) return predefined;
    const numeric = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(reference);
    const codePoint = numeric ? parseInt(numeric[1] ?? numeric[2] ?? '', numeric[1] ? 16 : 10) : NaN;
    if (!isXmlChar(codePoint)) this.fail(`invalid entity or character reference "&${reference.slice(0, 20)};"`);
    return String.fromCodePoint(codePoint);
  }
}

/** Position of the first '"' or "'" in xml[from, to), or -1. */
function firstQuote(xml: string, from: number, to: number): number {
  for (let at = from; at < to; at++) {
    const code = xml.charCodeAt(at);
    if (code === DOUBLE_QUOTE || code === SINGLE_QUOTE) return at;
  }
  return -1;
}

const PREDEFINED_ENTITIES: ReadonlyMap<string, string> = new Map([
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['quot', '"'],
  ['apos', "'"],
]);

/** XML end-of-line handling: CRLF and lone CR read as LF (a `&#13;` reference survives). */
function normalizeLineEnds(raw: string): string {
  return raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw;
}

export function isXmlSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** Ends a tag or attribute name: whitespace, '>' or '/'. */
export function isNameEnd(code: number): boolean {
  return isXmlSpace(code) || code === GT || code === SLASH;
}

/** The XML 1.0 `Char` production: what a character reference may denote. */
function isXmlChar(code: number): boolean {
  return (
    code === 0x09 ||
    code === 0x0a ||
    code === 0x0d ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}
