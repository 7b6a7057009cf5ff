import { createTransport, type NodemailerError } from 'nodemailer';
import type { MailOutcome, MailTransport, OutgoingMail } from '../domain/newsletter/newsletter-sender.js';

/** Commands after which the server has not yet been given the message. */
const beforeMessage = new Set([
  'CONN',
  'EHLO',
  'HELO',
  'LHLO',
  'STARTTLS',
  'AUTH PLAIN',
  'AUTH LOGIN',
  'MAIL FROM',
  'RCPT TO',
]);

/**
 * Reads what an SMTP failure means for the message. A 5xx refusal of the recipient (RCPT TO)
 * is a bounce: the address is suppressed. A 5xx refusal of the message itself (DATA: content,
 * sender policy) is not the address's fault and would otherwise wipe a list when the sender
 * domain is misconfigured, so it only fails that message. 4xx refusals and failures before the
 * message was sent may be retried; a failure during or after DATA without a reply is in doubt.
 */
export function classifySmtpError(error: NodemailerError): MailOutcome {
  const response = String(error.response ?? error.message).slice(0, 500);
  const command = error.command?.toUpperCase() ?? '';
  if (error.responseCode !== undefined && error.responseCode >= 500 && error.permanent !== false) {
    if (command.startsWith('RCPT')) return { kind: 'bounced', response };
    // Refused before any recipient (the sender, the credentials): our setup, not the message.
    if (beforeMessage.has(command)) return { kind: 'unavailable', response };
    return { kind: 'rejected', response };
  }
  if (error.responseCode !== undefined) {
    return command.startsWith('RCPT') ? { kind: 'deferred', response } : { kind: 'unavailable', response };
  }
  if (error.code === 'ECONNECTION' || error.code === 'EDNS' || error.code === 'EAUTH' || beforeMessage.has(command)) {
    return { kind: 'unavailable', response };
  }
  if (error.code === 'ETIMEDOUT' && (command === '' || command === 'CONN')) return { kind: 'unavailable', response };
  return { kind: 'unknown', response };
}

/**
 * SMTP through nodemailer, from `SMTP_URL` (smtp://user:pass@host:587, smtps://… for implicit
 * TLS). One pooled connection: messages go one after the other at the configured rate anyway.
 */
export function createSmtpTransport(options: {
  url: string;
  /** The From header, read for each message (staff may change the sender: decision 0058). */
  from: () => string;
}): MailTransport & { close(): void } {
  const transporter = createTransport({ url: options.url, pool: true, maxConnections: 1, maxMessages: 500 });
  return {
    async send(mail: OutgoingMail): Promise<MailOutcome> {
      try {
        const info = await transporter.sendMail({
          from: options.from(),
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          headers: mail.headers,
          messageId: mail.messageId,
        });
        if (info.rejected.length > 0) return { kind: 'bounced', response: String(info.response) };
        return { kind: 'accepted', response: String(info.response).slice(0, 500) };
      } catch (error) {
        return classifySmtpError(error as NodemailerError);
      }
    },
    close: () => transporter.close(),
  };
}
