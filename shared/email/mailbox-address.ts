/**
 * A From address as SES v2 takes it in `FromEmailAddress`: the address must be 7-bit ASCII, and a display
 * ("friendly from") name with characters outside ASCII must be a MIME encoded-word (RFC 2047), as the SES
 * API reference says for `FromEmailAddress`/`Destination` ("If you want to use Unicode characters in the
 * 'friendly from' name, you must encode the 'friendly from' name using MIME encoded-word syntax").
 * An ASCII name is sent as is, or as a quoted string (RFC 5322) when it holds specials such as `,` or `.`.
 */

/** RFC 2047 limits an encoded-word to 75 characters: `=?UTF-8?B?` + base64 + `?=` leaves 63, i.e. 45 bytes. */
const MAX_BYTES_PER_WORD = 45;
const NON_ASCII_OR_CONTROL = /[^\u0020-\u007e]/;
/** RFC 5322 atext plus the spaces between words: a phrase that needs no quoting. */
const PLAIN_PHRASE = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+( [A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

/** The name as one line: line breaks and other control characters become a space, runs of spaces one. */
// eslint-disable-next-line no-control-regex
const oneLine = (s: string) => s.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/ {2,}/g, ' ').trim();

/** `=?UTF-8?B?…?=` words, split between characters so that none passes 75 characters. */
export function encodedWords(text: string): string[] {
  const words: string[] = [];
  let chunk = '';
  for (const ch of text) {
    if (Buffer.byteLength(chunk + ch, 'utf8') > MAX_BYTES_PER_WORD) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`);
}

/** `name <address>` with the name as SES accepts it; the address alone when the name is empty. */
export function formatMailbox(name: string, address: string): string {
  const phrase = oneLine(name);
  if (!phrase) return address;
  if (NON_ASCII_OR_CONTROL.test(phrase)) return `${encodedWords(phrase).join(' ')} <${address}>`;
  if (PLAIN_PHRASE.test(phrase)) return `${phrase} <${address}>`;
  return `"${phrase.replace(/(["\\])/g, '\\$1')}" <${address}>`;
}

/** Why SES would refuse this `FromEmailAddress` (raw non-ASCII or control characters), or undefined. */
export function fromAddressProblem(from: string): string | undefined {
  if (NON_ASCII_OR_CONTROL.test(from)) {
    return 'FromEmailAddress must be 7-bit ASCII: encode a display name with other characters as a MIME encoded-word (RFC 2047)';
  }
  return undefined;
}
