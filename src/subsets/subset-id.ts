// A subset id: what a paper cites and what runs and leaderboards are keyed by. The first 80 bits of
// sha256(dataset version, canonical selection) in lower-case base32 (RFC 4648 alphabet): equal for
// equal selections however they were spelled, paged or represented. Pure.
import { selectionKey, type Selection } from '../selection/selection';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const ID_LENGTH = 16;

export async function subsetId(datasetVersion: string, selection: Selection): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${datasetVersion}\n${selectionKey(selection)}`)));
  let id = '';
  // 16 characters of 5 bits: the first 10 bytes, read 5 bits at a time.
  for (let bit = 0; id.length < ID_LENGTH; bit += 5) {
    const byte = bit >> 3;
    const pair = (digest[byte]! << 8) | digest[byte + 1]!;
    id += ALPHABET[(pair >> (11 - (bit & 7))) & 31];
  }
  return id;
}
