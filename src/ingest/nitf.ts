import type { ParsedWireItem } from '../domain/wire/wire-item.js';
import { treeToBlocks } from './html-blocks.js';
import { parseIsoDate } from './wire-dates.js';
import { blankItem, distinctTexts, languageTag, nonEmpty, rightsText, wireVersion } from './wire-fields.js';
import { child, childElements, descendant, textOf, type XmlElement } from './xml-tree.js';

/**
 * NITF 3.x (`nitf/head` + `nitf/body`). NITF has no embargo element: `docdata/date.release` is the
 * time the item may be released, so a release later than `date.issue` is the embargo (the desk
 * compares it with its clock); a release equal to the issue time is no embargo.
 * Elements are matched by local name whatever their namespace (NITF 3.5+ may declare one).
 */

function norm(element: XmlElement | null): Date | null {
  return parseIsoDate(element?.attrs.norm ?? textOf(element));
}

function langOf(...elements: (XmlElement | null)[]): string | null {
  for (const element of elements) {
    const tag = languageTag(element?.attrs['xml:lang'] ?? element?.attrs.lang);
    if (tag) return tag;
  }
  return null;
}

export function nitfItem(nitf: XmlElement): ParsedWireItem {
  const parsed = blankItem('nitf');
  const head = child(nitf, 'head');
  const docdata = child(head, 'docdata');
  const body = child(nitf, 'body');
  const bodyHead = child(body, 'body.head');
  const content = child(body, 'body.content');

  parsed.wireId = nonEmpty(child(docdata, 'doc-id')?.attrs['id-string']);
  parsed.version = wireVersion(child(docdata, 'du-key')?.attrs.version);
  parsed.language = langOf(nitf, body, content, head);
  const hedline = child(bodyHead, 'hedline');
  parsed.headline = textOf(child(hedline, 'hl1')) || textOf(child(head, 'title'));
  parsed.standfirst = textOf(child(bodyHead, 'abstract'));
  parsed.bylines = distinctTexts(
    childElements(bodyHead, 'byline').map((byline) => {
      const people = childElements(byline, 'person').map((person) => textOf(person));
      return people.length > 0 ? people.join(', ') : textOf(byline);
    }),
  );
  parsed.dateline = textOf(child(bodyHead, 'dateline'));
  const issued = norm(child(docdata, 'date.issue'));
  const release = norm(child(docdata, 'date.release'));
  // A release time after the issue time holds the story back; one equal to it (or earlier) does not.
  parsed.embargoUntil = release && (!issued || release > issued) ? release : null;
  parsed.publishedAt = issued ?? release;
  const copyright = child(docdata, 'doc.copyright');
  const docRights = child(docdata, 'doc.rights');
  parsed.rights = rightsText([
    copyright ? `© ${[copyright.attrs.year, copyright.attrs.holder].filter(Boolean).join(' ')}` : null,
    docRights
      ? [docRights.attrs.owner, docRights.attrs.agent, docRights.attrs.limitations].filter(Boolean).join(' — ')
      : null,
    textOf(child(bodyHead, 'rights')),
  ]);
  const keywords = childElements(child(docdata, 'key-list'), 'keyword').map((keyword) => keyword.attrs.key);
  const subjects = childElements(child(head, 'tobject'), 'tobject.subject').map(
    (subject) => subject.attrs['tobject.subject.matter'] ?? subject.attrs['tobject.subject.type'],
  );
  parsed.topics = distinctTexts([...subjects, ...keywords]);
  parsed.body = content ? treeToBlocks(content.children, { headline: parsed.headline }) : [];
  const subheadline = textOf(child(hedline, 'hl2'));
  if (subheadline && !parsed.standfirst) parsed.standfirst = subheadline;
  return parsed;
}

/** A NITF document embedded elsewhere (a NewsML-G2 `inlineXML`). */
export function embeddedNitf(element: XmlElement): XmlElement | null {
  return element.name === 'nitf' ? element : descendant(element, 'nitf');
}
