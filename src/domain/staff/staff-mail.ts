import type { Translator } from '../i18n/translator.js';
import type { Mailer } from '../members/member-service.js';
import { type StaffUser, setupLinkLifetimeMs } from './staff-service.js';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/**
 * The emails staff receive about their account (issue 14), each in the member's own language:
 * the invitation with its one-time link, and the notice that their password changed.
 */
export function createStaffMail(deps: {
  mailer: Mailer;
  translator: (language: string) => Translator;
  site: { name: string; publicUrl: string };
  /** False when no mail server is configured (mail goes to the outbox folder, nobody receives it). */
  delivers: boolean;
}) {
  const { site } = deps;

  function compose(t: Translator, paragraphs: string[], link?: { href: string; text: string }) {
    const text = [...paragraphs.slice(0, 1), ...(link ? [link.href] : []), ...paragraphs.slice(1)].join('\n\n');
    const html = `<!DOCTYPE html><html lang="${escapeHtml(t.language)}" dir="${t.direction}"><body><p>${escapeHtml(paragraphs[0] ?? '')}</p>${
      link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p>` : ''
    }${paragraphs
      .slice(1)
      .map((p) => `<p>${escapeHtml(p)}</p>`)
      .join('')}</body></html>`;
    return { text: `${text}\n`, html };
  }

  return {
    /**
     * Emails the invitation link to the invitee. 'sent' once the mail server took it; 'not-sent'
     * when it refused or none is configured: the inviter is then shown the link to hand over.
     */
    async invitation(
      invitee: StaffUser,
      inviter: { name: string } | null,
      token: string,
    ): Promise<'sent' | 'not-sent'> {
      if (!deps.delivers) return 'not-sent';
      const t = deps.translator(invitee.language);
      const url = new URL('/admin/invitation', `${site.publicUrl}/`);
      url.searchParams.set('token', token);
      const role = t.t(`admin.role.${invitee.role}`);
      const { text, html } = compose(
        t,
        [
          inviter
            ? t.t('admin.invitation.email.intro', { inviter: inviter.name, site: site.name, role })
            : t.t('admin.invitation.email.introOperator', { site: site.name, role }),
          t.t('admin.invitation.email.expiry', { hours: setupLinkLifetimeMs / 3_600_000 }),
          t.t('admin.invitation.email.ignore'),
        ],
        { href: url.href, text: t.t('admin.invitation.email.button') },
      );
      try {
        await deps.mailer.send({
          to: invitee.email,
          subject: t.t('admin.invitation.email.subject', { site: site.name }),
          text,
          html,
        });
        return 'sent';
      } catch {
        return 'not-sent';
      }
    },

    /** Tells the member their password changed, and what to do if they did not change it. */
    async passwordChanged(user: StaffUser): Promise<void> {
      const t = deps.translator(user.language);
      const url = new URL('/admin/password/forgot', `${site.publicUrl}/`);
      const { text, html } = compose(
        t,
        [t.t('admin.account.email.changed', { site: site.name }), t.t('admin.account.email.notYou')],
        { href: url.href, text: t.t('admin.login.forgot') },
      );
      await deps.mailer.send({
        to: user.email,
        subject: t.t('admin.account.email.subject', { site: site.name }),
        text,
        html,
      });
    },
  };
}

export type StaffMail = ReturnType<typeof createStaffMail>;
