import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createTransport } from 'nodemailer';
import type { MailOutcome, MailTransport, OutgoingMail } from '../domain/newsletter/newsletter-sender.js';

/**
 * Without SMTP_URL, messages are written as `.eml` files in the data folder's `outbox/` (one
 * file each, openable in any mail program) and the path is logged: a fresh install shows what it
 * would send, and nothing leaves the machine.
 */
export function createOutboxTransport(options: {
  folder: string;
  /** The From header, read for each message (staff may change the sender: decision 0058). */
  from: () => string;
  logger: { info(object: object, message: string): void };
}): MailTransport {
  const composer = createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    async send(mail: OutgoingMail): Promise<MailOutcome> {
      const info = await composer.sendMail({
        from: options.from(),
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: mail.headers,
        messageId: mail.messageId,
      });
      await mkdir(options.folder, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${mail.messageId.replace(/[^A-Za-z0-9_.-]/g, '')}.eml`;
      const file = path.join(options.folder, name);
      await writeFile(file, info.message as Buffer, { mode: 0o600 });
      options.logger.info({ file, to: mail.to }, 'no SMTP_URL: email written to the outbox');
      return { kind: 'accepted', response: `written to ${file}` };
    },
  };
}
