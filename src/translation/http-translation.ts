import { KiosqueError } from '../domain/errors.js';

/**
 * What the HTTP providers share: cutting a story's texts into requests the service accepts, one
 * request at a time with a time limit, and turning its refusals into KiosqueErrors a person can
 * act on. The key is never part of an error or a log line.
 */

/** Texts in order, cut into batches of at most `maxTexts` texts and `maxChars` characters. */
export function batches(texts: string[], limits: { maxTexts: number; maxChars: number }): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  let chars = 0;
  for (const text of texts) {
    if (current.length > 0 && (current.length >= limits.maxTexts || chars + text.length > limits.maxChars)) {
      out.push(current);
      current = [];
      chars = 0;
    }
    current.push(text);
    chars += text.length;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** A translation service's statuses, as the errors they mean. */
export function refusal(provider: string, status: number): KiosqueError {
  if (status === 401 || status === 403)
    return new KiosqueError('TRANSLATION_PROVIDER_KEY_REFUSED', { provider, status });
  if (status === 456) return new KiosqueError('TRANSLATION_PROVIDER_QUOTA', { provider, status });
  if (status === 429 || status === 529) return new KiosqueError('TRANSLATION_PROVIDER_BUSY', { provider, status });
  return new KiosqueError('TRANSLATION_PROVIDER_FAILED', { provider, status });
}

/** POSTs JSON, answers the parsed JSON of a 2xx answer, a KiosqueError otherwise. */
export async function postJson(
  provider: string,
  url: string,
  body: unknown,
  options: { headers?: Record<string, string>; timeoutMs: number },
): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs),
      redirect: 'error',
    });
  } catch {
    // Network failure or time limit: nothing about the request (its key) goes into the error.
    throw new KiosqueError('TRANSLATION_PROVIDER_FAILED', { provider, status: 0 });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw refusal(provider, response.status);
  }
  try {
    return await response.json();
  } catch {
    throw new KiosqueError('TRANSLATION_PROVIDER_FAILED', { provider, status: response.status });
  }
}

/** The answer's texts, checked: one string per text sent. */
export function answered(provider: string, texts: unknown, expected: number): string[] {
  if (!Array.isArray(texts) || texts.length !== expected || !texts.every((t) => typeof t === 'string'))
    throw new KiosqueError('TRANSLATION_PROVIDER_FAILED', { provider, status: 200 });
  return texts;
}
