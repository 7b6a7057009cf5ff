import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { z } from 'zod';
import { isKiosqueError, KiosqueError } from '../../domain/errors.js';
import type { MediaLibrary } from '../../domain/media/media-library.js';
import type { StaticPages } from '../../domain/pages/static-pages.js';
import {
  isSettingsSection,
  type SettingsIssue,
  type SettingsSection,
  type SiteSettings,
  type SiteSettingsValues,
} from '../../domain/settings/site-settings.js';
import { errorOf } from '../error-status.js';
import { SettingsPage } from '../views/admin-settings.js';
import type { AdminContext } from '../views/admin-views.js';

type FormFields = Record<string, string | string[] | undefined>;

/** The admin's forms are url-encoded: anything else (JSON of other types) is refused unread. */
const formBody = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
function fieldsOf(body: unknown): FormFields {
  const parsed = formBody.safeParse(body ?? {});
  if (!parsed.success) throw new KiosqueError('FORM_INVALID');
  return parsed.data;
}

const one = (fields: FormFields, name: string): string => {
  const value = fields[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
};
const many = (fields: FormFields, name: string): string[] => {
  const value = fields[name];
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
};
const orNull = (value: string) => (value.trim() === '' ? null : value.trim());
/** A number as typed ("7,50" as a French keyboard writes it); NaN is refused by the schema. */
const number = (value: string) => (value.trim() === '' ? Number.NaN : Number(value.trim().replace(',', '.')));

/** Ordered rows `prefix.N.a` / `prefix.N.b` of a form; a row left wholly blank is no row. */
function rows<A extends string, B extends string>(fields: FormFields, prefix: string, a: A, b: B) {
  const found: Record<A | B, string>[] = [];
  for (let index = 0; index < 50; index++) {
    const first = one(fields, `${prefix}.${index}.${a}`);
    const second = one(fields, `${prefix}.${index}.${b}`);
    if (fields[`${prefix}.${index}.${a}`] === undefined && fields[`${prefix}.${index}.${b}`] === undefined) continue;
    if (first.trim() === '' && second.trim() === '') continue;
    found.push({ [a]: first, [b]: second } as Record<A | B, string>);
  }
  return found;
}

/** A section's form turned into the value the settings service checks (it, not this, decides what is valid). */
export function sectionFromForm(
  section: SettingsSection,
  fields: FormFields,
  languages: readonly string[],
): SiteSettingsValues[SettingsSection] | Record<string, unknown> {
  switch (section) {
    case 'identity':
      return {
        names: Object.fromEntries(
          languages.flatMap((language) => {
            const name = one(fields, `name.${language}`).trim();
            return name ? [[language, name]] : [];
          }),
        ),
        taglines: Object.fromEntries(
          languages.flatMap((language) => {
            const tagline = one(fields, `tagline.${language}`).trim();
            return tagline ? [[language, tagline]] : [];
          }),
        ),
        logoImageId: orNull(one(fields, 'logoImageId')),
        shareImageId: orNull(one(fields, 'shareImageId')),
      };
    case 'languages': {
      const enabled = many(fields, 'enabled');
      const position = (language: string) => number(one(fields, `position.${language}`));
      return {
        enabled: [...enabled].sort((a, b) => (position(a) || 0) - (position(b) || 0)),
      };
    }
    case 'navigation':
      return {
        links: Object.fromEntries(
          languages.map((language) => [language, rows(fields, `nav.${language}`, 'label', 'url')]),
        ),
      };
    case 'social':
      return { links: rows(fields, 'social', 'network', 'url') };
    case 'newsletter':
      return { senderName: one(fields, 'senderName'), senderAddress: one(fields, 'senderAddress') };
    case 'paywall':
      return {
        monthly: number(one(fields, 'monthly')),
        yearly: number(one(fields, 'yearly')),
        freeStoriesMembers: number(one(fields, 'freeStoriesMembers')),
        freeStoriesAnonymous: number(one(fields, 'freeStoriesAnonymous')),
      };
    case 'timeZone':
      return { zone: one(fields, 'zone') };
    case 'policies':
      return {
        corrections: orNull(one(fields, 'corrections')),
        ethics: orNull(one(fields, 'ethics')),
        ownership: orNull(one(fields, 'ownership')),
        masthead: orNull(one(fields, 'masthead')),
      };
  }
}

/**
 * Admin → Settings (`settings.manage`: owner and admins; decision 0058). One page of sections,
 * each its own form posted to `/admin/settings/{section}`: a refused value shows the page again
 * with what was typed and each problem in the staff member's language, and stores nothing.
 */
export function registerAdminSettingsRoutes(
  scope: FastifyInstance,
  views: {
    context(request: FastifyRequest, reply: FastifyReply): AdminContext;
    send(reply: FastifyReply, node: VNode, status?: number): unknown;
  },
  deps: {
    settings: SiteSettings;
    staticPages: StaticPages;
    media: MediaLibrary;
    /** Languages the site may offer (KIOSQUE_LANGUAGES); the settings choose among them. */
    installedLanguages: readonly string[];
  },
) {
  async function page(
    request: FastifyRequest,
    reply: FastifyReply,
    options: {
      saved?: SettingsSection;
      refused?: { section: SettingsSection; issues: SettingsIssue[]; typed: Record<string, unknown> };
    } = {},
    status = 200,
  ) {
    const [images, pages] = await Promise.all([deps.media.list({ limit: 60 }), deps.staticPages.list()]);
    const values = deps.settings.current();
    const shown = options.refused ? { ...values, [options.refused.section]: options.refused.typed } : values;
    return views.send(
      reply,
      SettingsPage({
        admin: views.context(request, reply),
        values: shown as SiteSettingsValues,
        languages: deps.installedLanguages,
        images: images.items.map((image) => ({ id: image.id, label: image.alt || image.caption || image.id })),
        pages: pages.map((page) => ({ group: page.group, language: page.language, title: page.title })),
        saved: options.saved ?? null,
        refused: options.refused ? { section: options.refused.section, issues: options.refused.issues } : null,
      }),
      status,
    );
  }

  scope.route({
    method: 'GET',
    url: '/admin/settings',
    config: { access: 'settings.manage' },
    handler: async (request, reply) => {
      const saved = (request.query as Record<string, string | undefined>).saved ?? '';
      return page(request, reply, { saved: isSettingsSection(saved) ? saved : undefined });
    },
  });

  scope.route<{ Params: { section: string }; Body: FormFields }>({
    method: 'POST',
    url: '/admin/settings/:section',
    config: { access: 'settings.manage' },
    bodyLimit: 64 * 1024,
    handler: async (request, reply) => {
      const { section } = request.params;
      if (!isSettingsSection(section)) throw new KiosqueError('PAGE_NOT_FOUND');
      const typed = sectionFromForm(section, fieldsOf(request.body), deps.installedLanguages);
      try {
        await deps.settings.save(section, typed, request.staff?.user.id ?? null);
      } catch (error) {
        if (!isKiosqueError(error) || error.code !== 'SETTINGS_INVALID') throw error;
        const issues = (error.details.issues ?? []) as SettingsIssue[];
        return page(
          request,
          reply,
          { refused: { section, issues, typed: typed as Record<string, unknown> } },
          errorOf(error).status,
        );
      }
      return reply.redirect(`/admin/settings?saved=${section}#settings-${section}`, 303);
    },
  });
}
