import { describe, expect, it } from 'vitest';
import { documentElement, guardXml, XmlRejectedError } from './xml-guard.js';

const MB = 1024 * 1024;

function rejection(input: string | Buffer, maxBytes = MB): string {
  try {
    guardXml(input, maxBytes);
  } catch (err) {
    expect(err).toBeInstanceOf(XmlRejectedError);
    return `${(err as XmlRejectedError).reason}: ${(err as Error).message}`;
  }
  throw new Error('accepted');
}

describe('guardXml: hostile and broken documents', () => {
  it('refuses an external entity (XXE) before anything reads it', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>`;
    expect(rejection(xxe)).toMatch(/^DOCTYPE: .*DOCTYPE or an entity declaration/);
  });

  it('refuses entity expansion (billion laughs)', () => {
    const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>`;
    expect(rejection(lol)).toMatch(/^DOCTYPE/);
    expect(rejection(`<r/><!doctype r>`)).toMatch(/^DOCTYPE/);
  });

  it('refuses a 50 MB document by its size, without decoding it', () => {
    const big = Buffer.alloc(50 * MB, 0x20);
    const started = Date.now();
    expect(rejection(big, 20 * MB)).toBe(
      `TOO_LARGE: The document is ${50 * MB} bytes; at most ${20 * MB} are accepted.`,
    );
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses truncated and non-XML documents with where it broke', () => {
    expect(rejection('<Invoice><ID>1</ID>')).toMatch(/^MALFORMED: .*line 1/);
    expect(rejection('%PDF-1.4 not xml')).toMatch(/^MALFORMED/);
    expect(rejection('   ')).toBe('EMPTY: The document is empty.');
  });

  it('refuses bytes that are not the encoding the document declares', () => {
    const latin1AsUtf8 = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="UTF-8"?><r>'),
      Buffer.from([0xe4]), // "ä" in ISO-8859-1
      Buffer.from('</r>'),
    ]);
    expect(rejection(latin1AsUtf8)).toMatch(/^ENCODING: The document is not valid utf-8/);
    expect(rejection(Buffer.from('\ufeff<r/>', 'utf16le'))).toMatch(/^ENCODING: UTF-16/);
    expect(rejection(Buffer.from('<?xml version="1.0" encoding="EBCDIC"?><r/>'))).toMatch(
      /^ENCODING: The document declares the encoding "ebcdic"/,
    );
  });

  it('decodes a Finvoice-style ISO-8859-15 document and a UTF-8 one with a BOM', () => {
    const iso = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="ISO-8859-15"?><Finvoice><S>'),
      Buffer.from([0xa4, 0xe4]), // "€ä" in ISO-8859-15
      Buffer.from('</S></Finvoice>'),
    ]);
    expect(guardXml(iso, MB).text).toContain('<S>€ä</S>');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<r>ä</r>')]);
    expect(guardXml(bom, MB).text).toBe('<r>ä</r>');
  });
});

describe('documentElement', () => {
  it('finds the root and its namespace past the prolog and comments', () => {
    expect(
      documentElement(
        '<?xml version="1.0"?>\n<!-- c --><ubl:Invoice xmlns:ubl="urn:x:Invoice-2" a="1"><ubl:ID/></ubl:Invoice>',
      ),
    ).toEqual({ name: 'Invoice', namespace: 'urn:x:Invoice-2' });
    expect(documentElement('<Finvoice Version="3.0"/>')).toEqual({
      name: 'Finvoice',
      namespace: null,
    });
  });
});
