const xmlEscapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Text or attribute value for XML: escaped, and stripped of the characters XML 1.0 forbids. */
export function xml(text: string): string {
  // Dropped rather than breaking the whole document (a control character pasted into a headline).
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
      .replace(/[&<>"']/g, (c) => xmlEscapes[c]!)
  );
}

/** An element with escaped text content. */
export function element(name: string, text: string, attributes: Record<string, string | number> = {}): string {
  const attrs = Object.entries(attributes)
    .map(([key, value]) => ` ${key}="${xml(String(value))}"`)
    .join('');
  return `<${name}${attrs}>${xml(text)}</${name}>`;
}

/** An empty element with escaped attributes. */
export function emptyElement(name: string, attributes: Record<string, string | number>): string {
  const attrs = Object.entries(attributes)
    .map(([key, value]) => ` ${key}="${xml(String(value))}"`)
    .join('');
  return `<${name}${attrs}/>`;
}
