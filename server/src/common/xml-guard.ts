import { XMLValidator } from 'fast-xml-parser';

/**
 * The first gate for XML from outside (e-invoices, bank statements): documents are hostile until
 * this says otherwise. No DOCTYPE and so no entity of any kind (no XXE, no billion laughs), a size
 * limit checked before anything is decoded, a known encoding decoded strictly, well-formed.
 */

export type XmlRejection = 'TOO_LARGE' | 'EMPTY' | 'ENCODING' | 'DOCTYPE' | 'MALFORMED';

export class XmlRejectedError extends Error {
  constructor(
    readonly reason: XmlRejection,
    message: string,
  ) {
    super(message);
    this.name = 'XmlRejectedError';
  }
}

/** Encodings a byte document may declare; everything is decoded strictly (bad bytes refused). */
const DECODERS: Record<string, string> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'iso-8859-1': 'latin1',
  'iso-8859-15': 'iso-8859-15',
  'windows-1252': 'windows-1252',
};

export interface GuardedXml {
  text: string;
  bytes: number;
}

/** Checks and decodes `input`; throws XmlRejectedError with what is wrong, in words. */
export function guardXml(input: string | Buffer, maxBytes: number): GuardedXml {
  const bytes = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (bytes > maxBytes) {
    throw new XmlRejectedError(
      'TOO_LARGE',
      `The document is ${bytes} bytes; at most ${maxBytes} are accepted.`,
    );
  }
  const text = typeof input === 'string' ? input.replace(/^\uFEFF/, '') : decode(input);
  if (!text.trim()) throw new XmlRejectedError('EMPTY', 'The document is empty.');
  if (!text.trimStart().startsWith('<'))
    throw new XmlRejectedError('MALFORMED', 'This is not an XML document.');
  // Refused outright rather than parsed with entities off: no legitimate e-invoice or bank
  // statement carries a DTD, and not reading one at all is the only sure way not to expand it.
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    throw new XmlRejectedError(
      'DOCTYPE',
      'The document contains a DOCTYPE or an entity declaration, which are not accepted.',
    );
  }
  const wellFormed = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (wellFormed !== true) {
    const { msg, line, col } = wellFormed.err;
    throw new XmlRejectedError(
      'MALFORMED',
      `The document is not well-formed XML: ${msg} (line ${line}, column ${col}).`,
    );
  }
  return { text, bytes };
}

function decode(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  else if ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xff && bytes[1] === 0xfe)) {
    throw new XmlRejectedError('ENCODING', 'UTF-16 documents are not accepted; send UTF-8.');
  }
  const head = bytes.subarray(0, 200).toString('latin1');
  const declared = /^<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/i.exec(head)?.[1]?.toLowerCase();
  const decoder = DECODERS[declared ?? 'utf-8'];
  if (!decoder) {
    throw new XmlRejectedError(
      'ENCODING',
      `The document declares the encoding "${declared}"; accepted are UTF-8, ISO-8859-1, ISO-8859-15 and windows-1252.`,
    );
  }
  try {
    return new TextDecoder(decoder, { fatal: true }).decode(bytes);
  } catch {
    throw new XmlRejectedError(
      'ENCODING',
      `The document is not valid ${declared ?? 'UTF-8'} (it mixes encodings or is truncated inside a character).`,
    );
  }
}

/** The local name and namespace of the document element of well-formed `text`. */
export function documentElement(text: string): { name: string; namespace: string | null } {
  const root =
    /^(?:\s|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)*<(?:([A-Za-z_][\w.-]*):)?([A-Za-z_][\w.-]*)([^>]*)>/.exec(
      text,
    );
  if (!root) throw new XmlRejectedError('MALFORMED', 'The document has no root element.');
  const [, prefix, name, attributes] = root;
  const declaration = new RegExp(`\\bxmlns${prefix ? `:${prefix}` : ''}\\s*=\\s*["']([^"']*)["']`);
  return { name: name!, namespace: declaration.exec(attributes ?? '')?.[1] ?? null };
}
