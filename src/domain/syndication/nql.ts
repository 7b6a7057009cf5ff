import { KiosqueError } from '../errors.js';

/**
 * Ghost's filter language (NQL), the part the Content API accepts: `field:value`, `field:-value`
 * (not), `field:[a,b]` and `field:-[a,b]` (in, not in), `>`, `>=`, `<`, `<=` on dates and text,
 * `~` (contains), `~^` (starts with), `~$` (ends with), `+` (and) binding tighter than `,` (or),
 * parentheses, values bare or in single or double quotes. Written by hand over an allow-list of
 * fields: a filter is evaluated on values the domain already holds, never turned into SQL.
 */

/** What a field holds, which decides how its values are read and compared. */
export type FieldType = 'text' | 'date' | 'boolean';

export type Literal = string | boolean | null;

export type Operator = 'eq' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'contains' | 'starts' | 'ends';

export type FilterNode =
  | { kind: 'and' | 'or'; items: FilterNode[] }
  | { kind: 'compare'; field: string; op: Operator; negated: boolean; values: Literal[] };

const operators: [string, Operator][] = [
  ['>=', 'gte'],
  ['<=', 'lte'],
  ['>', 'gt'],
  ['<', 'lt'],
  ['~^', 'starts'],
  ['~$', 'ends'],
  ['~', 'contains'],
];

/** The longest filter read: longer ones are refused before parsing (a client bug or an attack). */
export const maxFilterLength = 2000;
const maxDepth = 20;

/**
 * Reads `text` into a tree. `fields` is the allow-list with each field's type: an unknown field,
 * a date that is not one, or anything malformed is `CONTENT_API_FILTER_INVALID` naming the
 * character where reading stopped.
 */
export function parseFilter(text: string, fields: Readonly<Record<string, FieldType>>): FilterNode {
  let at = 0;
  const fail = (position: number, near?: string): never => {
    throw new KiosqueError('CONTENT_API_FILTER_INVALID', {
      position: position + 1,
      near: near ?? (text.slice(position, position + 20) || '…'),
    });
  };
  if (text.length > maxFilterLength) fail(maxFilterLength);
  const space = () => {
    while (at < text.length && /\s/.test(text[at] as string)) at++;
  };

  /** Terms joined by `separator`: `,` (or) joins `+` (and) groups, which join single terms. */
  function joined(separator: ',' | '+', depth: number): FilterNode {
    if (depth > maxDepth) fail(at);
    const next = () => (separator === ',' ? joined('+', depth) : term(depth));
    const items = [next()];
    space();
    while (text[at] === separator) {
      at++;
      items.push(next());
      space();
    }
    return items.length === 1 ? (items[0] as FilterNode) : { kind: separator === ',' ? 'or' : 'and', items };
  }
  const or = (depth: number) => joined(',', depth);

  function term(depth: number): FilterNode {
    space();
    if (text[at] === '(') {
      at++;
      const inner = or(depth + 1);
      space();
      if (text[at] !== ')') fail(at);
      at++;
      return inner;
    }
    return comparison();
  }

  function comparison(): FilterNode {
    const start = at;
    const name = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(at))?.[0];
    if (!name) return fail(at);
    const type = Object.hasOwn(fields, name) ? fields[name] : undefined;
    if (!type) return fail(start, name);
    at += name.length;
    if (text[at] !== ':') fail(at);
    at++;
    const negated = text[at] === '-';
    if (negated) at++;
    let op: Operator = 'eq';
    for (const [sign, named] of operators) {
      if (text.startsWith(sign, at)) {
        op = named;
        at += sign.length;
        break;
      }
    }
    let values: Literal[];
    if (text[at] === '[') {
      if (op !== 'eq') fail(at);
      at++;
      values = [value(type)];
      space();
      while (text[at] === ',') {
        at++;
        values.push(value(type));
        space();
      }
      if (text[at] !== ']') fail(at);
      at++;
      op = 'in';
    } else {
      values = [value(type)];
    }
    return { kind: 'compare', field: name, op, negated, values };
  }

  function value(type: FieldType): Literal {
    space();
    const start = at;
    const quote = text[at];
    let raw: string;
    let quoted = false;
    if (quote === "'" || quote === '"') {
      quoted = true;
      at++;
      raw = '';
      while (at < text.length && text[at] !== quote) {
        if (text[at] === '\\' && at + 1 < text.length) at++;
        raw += text[at];
        at++;
      }
      if (text[at] !== quote) fail(start);
      at++;
    } else {
      raw = /^[^\s,+()[\]]+/.exec(text.slice(at))?.[0] ?? '';
      if (raw === '') fail(at);
      at += raw.length;
    }
    if (!quoted && raw === 'null') return null;
    if (type === 'boolean') {
      if (raw !== 'true' && raw !== 'false') fail(start, raw);
      return raw === 'true';
    }
    if (type === 'date' && Number.isNaN(Date.parse(raw))) fail(start, raw);
    return raw;
  }

  const tree = or(0);
  space();
  if (at < text.length) fail(at);
  return tree;
}

/** What a record holds under one field: a list (a story has many tags), empty when it has none. */
export type FieldValues = (string | boolean | null)[];

function compareOne(held: string | boolean | null, op: Operator, wanted: Literal, type: FieldType): boolean {
  if (wanted === null || held === null) return op === 'eq' && wanted === held;
  if (type === 'boolean') return op === 'eq' && held === wanted;
  // Dates compare as instants, text without regard to case.
  const [x, y] =
    type === 'date'
      ? [Date.parse(String(held)), Date.parse(String(wanted))]
      : [String(held).toLowerCase(), String(wanted).toLowerCase()];
  switch (op) {
    case 'gt':
      return x > y;
    case 'gte':
      return x >= y;
    case 'lt':
      return x < y;
    case 'lte':
      return x <= y;
    case 'contains':
      return String(x).includes(String(y));
    case 'starts':
      return String(x).startsWith(String(y));
    case 'ends':
      return String(x).endsWith(String(y));
    default:
      return x === y;
  }
}

/**
 * Whether a record passes the filter. `valuesOf(field)` gives what the record holds; a
 * comparison holds when one of its values matches (one of the story's tags), a negated one when
 * none does. `field:null` matches a record holding nothing.
 */
export function matchesFilter(
  node: FilterNode,
  valuesOf: (field: string) => FieldValues,
  fields: Readonly<Record<string, FieldType>>,
): boolean {
  if (node.kind !== 'compare') {
    const passes = (item: FilterNode) => matchesFilter(item, valuesOf, fields);
    return node.kind === 'and' ? node.items.every(passes) : node.items.some(passes);
  }
  const type = fields[node.field] ?? 'text';
  const held = valuesOf(node.field);
  const candidates = held.length === 0 ? [null] : held;
  const op = node.op === 'in' ? 'eq' : node.op;
  const found = candidates.some((one) => node.values.some((wanted) => compareOne(one, op, wanted, type)));
  return node.negated ? !found : found;
}
