import { strToU8, zipSync, type Zippable } from 'fflate';

/** Builds small .xlsx files for tests: the parts VLMEvalKit's writers produce, with the XML given. */

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RELATIONSHIPS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PACKAGE_RELATIONSHIPS = 'http://schemas.openxmlformats.org/package/2006/relationships';

export interface XlsxParts {
  /** The `<sheetData>` content of the first worksheet. */
  readonly rows: string;
  /** Inner XML of each `<si>`; no shared-strings part when absent. */
  readonly sharedStrings?: readonly string[];
  /** Replaces or adds parts (path → XML); a null value removes the part. */
  readonly parts?: Readonly<Record<string, string | null>>;
}

export function buildXlsx({ rows, sharedStrings, parts = {} }: XlsxParts): Uint8Array {
  const files: Record<string, string | null> = {
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="${MAIN}" xmlns:r="${RELATIONSHIPS}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="${PACKAGE_RELATIONSHIPS}"><Relationship Id="rId1" Type="${RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>${
      sharedStrings ? `<Relationship Id="rId2" Type="${RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/>` : ''
    }</Relationships>`,
    'xl/worksheets/sheet1.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="${MAIN}"><sheetData>${rows}</sheetData></worksheet>`,
    ...(sharedStrings && {
      'xl/sharedStrings.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="${MAIN}" count="${sharedStrings.length}">${sharedStrings.map((si) => `<si>${si}</si>`).join('')}</sst>`,
    }),
    ...parts,
  };
  const zippable: Zippable = {};
  for (const [path, xml] of Object.entries(files)) if (xml !== null) zippable[path] = strToU8(xml);
  return zipSync(zippable);
}

/** A shared-strings workbook whose rows are given as cell texts (a string cell each; null = no cell). */
export function buildTextXlsx(table: ReadonlyArray<ReadonlyArray<string | null>>): Uint8Array {
  const strings: string[] = [];
  const rows = table
    .map((cells, r) => {
      const xml = cells
        .map((text, c) => {
          if (text === null) return '';
          strings.push(`<t xml:space="preserve">${escapeXml(text)}</t>`);
          return `<c r="${String.fromCharCode(65 + c)}${r + 1}" t="s"><v>${strings.length - 1}</v></c>`;
        })
        .join('');
      return `<row r="${r + 1}">${xml}</row>`;
    })
    .join('');
  return buildXlsx({ rows, sharedStrings: strings });
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Rewrites a 32-bit field of every central-directory entry for `name` (e.g. a size, to forge one). */
export function patchCentralDirectory(zip: Uint8Array, name: string, fieldOffset: number, value: number): Uint8Array {
  const patched = zip.slice();
  const view = new DataView(patched.buffer);
  const encodedName = strToU8(name);
  for (let at = 0; at + 46 <= patched.length; at++) {
    if (view.getUint32(at, true) !== 0x02014b50) continue;
    const nameLength = view.getUint16(at + 28, true);
    const entryName = patched.subarray(at + 46, at + 46 + nameLength);
    if (nameLength === encodedName.length && entryName.every((byte, i) => byte === encodedName[i])) {
      view.setUint32(at + fieldOffset, value, true);
    }
  }
  return patched;
}
