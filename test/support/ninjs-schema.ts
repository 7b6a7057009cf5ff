import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/**
 * IPTC's published ninjs 3.1 JSON Schema (`test/fixtures/ninjs/`, its licence beside it), compiled
 * with ajv. The schema refers to GeoJSON's schema for a place's geometry, which lives on the web:
 * a stand-in accepting any object takes its place (CI has no network, and Kiosque sends no geometry).
 */
function compile() {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  ajv.addSchema({ $id: 'https://geojson.org/schema/GeoJSON.json', type: 'object' });
  const schema = JSON.parse(
    readFileSync(new URL('../fixtures/ninjs/ninjs-schema_3.1.json', import.meta.url), 'utf8'),
  ) as object;
  return ajv.compile(schema);
}

export const validateNinjs = compile();

/** The schema's complaints about `document`, empty when it is valid. */
export function ninjsErrors(document: unknown): string[] {
  if (validateNinjs(document)) return [];
  return (validateNinjs.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}
