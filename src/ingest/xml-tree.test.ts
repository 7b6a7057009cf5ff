import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { KiosqueError } from '../domain/errors.js';
import { decodeXml, parseXml, textOf } from './xml-tree.js';

describe('saxes, the XML parser under the wire formats', () => {
  it('does not expand entities declared in a DTD, even without our refusal of declarations', () => {
    // The library alone: a declared internal entity is reported as undefined, never expanded,
    // and an external one is never read.
    const parser = new SaxesParser({ xmlns: true });
    let text = '';
    parser.on('text', (chunk) => {
      text += chunk;
    });
    const document = '<!DOCTYPE r [<!ENTITY a "expanded"><!ENTITY x SYSTEM "file:///etc/passwd">]><r>&a;&x;</r>';
    expect(() => parser.write(document).close()).toThrow(/undefined entity/);
    expect(text).not.toContain('expanded');
    expect(text).not.toContain('root:');
  });
});

describe('parseXml', () => {
  it('expands the five XML entities, character references and HTML named entities, nothing else', () => {
    const root = parseXml('<p>&lt;b&gt; &amp; &quot;x&quot; &#233;&#x20AC; &eacute;&nbsp;&hellip;</p>');
    expect(textOf(root)).toBe('<b> & "x" é€ é\u00a0…'.replace(/\s+/g, ' '));
    expect(() => parseXml('<p>&notAnEntityAtAll;</p>')).toThrow(KiosqueError);
  });

  it('keeps namespaces: local names and URIs of elements', () => {
    const root = parseXml('<feed xmlns="http://www.w3.org/2005/Atom"><m:x xmlns:m="urn:m" m:a="1"/></feed>');
    expect(root).toMatchObject({ name: 'feed', uri: 'http://www.w3.org/2005/Atom' });
    expect(root.children[0]).toMatchObject({ name: 'x', uri: 'urn:m', attrs: { 'm:a': '1' } });
  });
});

describe('decodeXml', () => {
  it('follows the declaration, then the transport charset, and refuses undecodable bytes', () => {
    const latin1 = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><r>é</r>', 'latin1');
    expect(decodeXml(latin1)).toContain('<r>é</r>');
    // The declaration wins over a wrong transport charset.
    expect(decodeXml(latin1, 'text/xml; charset=utf-8')).toContain('<r>é</r>');
    expect(() => decodeXml(Buffer.from('<r>\xe9</r>', 'latin1'), 'text/xml; charset=utf-8')).toThrow(KiosqueError);
  });

  it('strips a UTF-8 byte-order mark and reads UTF-16 big-endian', () => {
    expect(decodeXml(Buffer.from('\ufeff<r/>', 'utf8'))).toBe('<r/>');
    const be = Buffer.from('\ufeff<?xml version="1.0" encoding="UTF-16"?><r>ok</r>', 'utf16le').swap16();
    expect(decodeXml(be)).toContain('<r>ok</r>');
  });
});
