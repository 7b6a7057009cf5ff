import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** Envelope recipients (RCPT TO), lower-cased. */
  to: string[];
  raw: string;
  parsed: ParsedMail;
}

export interface SmtpSink {
  port: number;
  /** An SMTP_URL that reaches this server. */
  url: string;
  received: ReceivedMail[];
  /** How many messages each envelope recipient received. */
  countFor(address: string): number;
  /** Resolves once `count` messages have arrived in all (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export interface SmtpSinkOptions {
  /** An SMTP reply for a recipient (e.g. 550 for an unknown mailbox), or null to accept. */
  refuse?: (address: string) => { code: number; message: string } | null;
  /**
   * Runs after a whole message has been received and counted, before the server answers 250:
   * a slow server (content scanning) is slow exactly there.
   */
  beforeAnswer?: (mail: ReceivedMail) => Promise<void> | void;
}

/** A real SMTP server on 127.0.0.1 (smtp-server), keeping every message parsed by mailparser. */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const refusal = options.refuse?.(address.address.toLowerCase());
      if (refusal) {
        const error = Object.assign(new Error(refusal.message), { responseCode: refusal.code });
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', async () => {
        if ((stream as { sizeExceeded?: boolean }).sizeExceeded) return callback(new Error('too large'));
        const raw = Buffer.concat(chunks).toString('utf8');
        const mail: ReceivedMail = {
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          raw,
          parsed: await simpleParser(raw),
        };
        received.push(mail);
        for (const waiter of [...waiters]) {
          if (received.length >= waiter.count) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve();
          }
        }
        try {
          await options.beforeAnswer?.(mail);
          callback();
        } catch (error) {
          callback(error as Error);
        }
      });
    },
  });
  server.on('error', () => {});
  const port = await new Promise<number>((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve((server.server.address() as { port: number }).port));
  });
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    countFor: (address) => received.filter((m) => m.to.includes(address.toLowerCase())).length,
    waitFor(count, timeoutMs = 20_000) {
      if (received.length >= count) return Promise.resolve(received);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`waited ${timeoutMs} ms for ${count} messages, got ${received.length}`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(received);
          },
        });
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The links of a received message's HTML part, by their visible text. */
export function linksOf(mail: ReceivedMail): { text: string; href: string }[] {
  const html = typeof mail.parsed.html === 'string' ? mail.parsed.html : '';
  return [...html.matchAll(/<a\b[^>]*\bhref="([^"]+)"[^>]*>([\s\S]*?)<\/a>/g)].map((m) => ({
    href: m[1]!.replace(/&amp;/g, '&'),
    text: m[2]!.replace(/<[^>]+>/g, '').trim(),
  }));
}
