import type { ComponentChildren } from 'preact';
import type { MessageKey } from '../../domain/i18n/translator.js';
import { languageAutonym } from '../../domain/i18n/translator.js';
import {
  type PolicyKind,
  policyKinds,
  type SettingsIssue,
  type SettingsSection,
  type SiteSettingsValues,
} from '../../domain/settings/site-settings.js';
import { type AdminContext, AdminLayout, Csrf } from './admin-views.js';

export interface SettingsPageProps {
  admin: AdminContext;
  values: SiteSettingsValues;
  /** Languages the site may offer. */
  languages: readonly string[];
  images: { id: string; label: string }[];
  pages: { group: string; language: string; title: string }[];
  saved: SettingsSection | null;
  refused: { section: SettingsSection; issues: SettingsIssue[] } | null;
}

const policyKey = (kind: PolicyKind) => `admin.settings.policies.${kind}` as MessageKey;

/** What a refused field is called, in the staff member's language ("Navigation links — Français, link 2: address"). */
function fieldLabel(admin: AdminContext, section: SettingsSection, path: string): string {
  const { t } = admin;
  const [first = '', second = '', third = '', fourth = ''] = path.split('.');
  const language = (tag: string) => (tag ? languageAutonym(tag) : '');
  switch (section) {
    case 'identity':
      if (first === 'names') return t.t('admin.settings.identity.name', { language: language(second) });
      if (first === 'taglines') return t.t('admin.settings.identity.tagline', { language: language(second) });
      return t.t(first === 'logoImageId' ? 'admin.settings.identity.logo' : 'admin.settings.identity.shareImage');
    case 'navigation':
      return t.t('admin.settings.navigation.row', {
        language: language(second),
        row: Number(third) + 1,
        field: t.t(fourth === 'url' ? 'admin.settings.link.url' : 'admin.settings.navigation.label'),
      });
    case 'social':
      return t.t('admin.settings.social.row', {
        row: Number(second) + 1,
        field: t.t(third === 'url' ? 'admin.settings.link.url' : 'admin.settings.social.network'),
      });
    case 'newsletter':
      return t.t(
        first === 'senderAddress' ? 'admin.settings.newsletter.senderAddress' : 'admin.settings.newsletter.senderName',
      );
    case 'paywall':
      return t.t(`admin.settings.paywall.${first || 'monthly'}` as MessageKey);
    case 'timeZone':
      return t.t('admin.settings.timeZone.zone');
    case 'languages':
      return t.t('admin.settings.languages.enabled');
    case 'policies':
      return policyKinds.includes(first as PolicyKind) ? t.t(policyKey(first as PolicyKind)) : first;
  }
}

function Section({
  props,
  section,
  children,
}: {
  props: SettingsPageProps;
  section: SettingsSection;
  children: ComponentChildren;
}) {
  const { admin, saved, refused } = props;
  const { t } = admin;
  const issues = refused?.section === section ? refused.issues : [];
  return (
    <section
      class="admin-card settings-section"
      id={`settings-${section}`}
      aria-labelledby={`settings-${section}-title`}
    >
      <h2 id={`settings-${section}-title`}>{t.t(`admin.settings.${section}` as MessageKey)}</h2>
      {saved === section ? (
        <p class="notice notice--success" role="status">
          {t.t('admin.settings.saved')}
        </p>
      ) : null}
      {issues.length > 0 ? (
        <div class="notice notice--error" role="alert">
          <p>{t.t('error.SETTINGS_INVALID')}</p>
          <ul>
            {issues.map((issue) => (
              <li>
                {t.t(`settings.problem.${issue.problem}` as MessageKey, {
                  field: fieldLabel(admin, section, issue.path),
                })}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <form method="post" action={`/admin/settings/${section}`} class="settings-form">
        <Csrf admin={admin} />
        {children}
        <p>
          <button type="submit">{t.t('admin.settings.save')}</button>
        </p>
      </form>
    </section>
  );
}

function Field({ id, label, children }: { id: string; label: string; children: ComponentChildren }) {
  return (
    <p class="field">
      <label for={id}>{label}</label>
      {children}
    </p>
  );
}

/** Rows of two inputs (label and address, network and address), the saved ones and two blank ones. */
function LinkRows({
  admin,
  prefix,
  rows,
  first,
  firstLabel,
}: {
  admin: AdminContext;
  prefix: string;
  rows: Record<string, string>[];
  first: string;
  firstLabel: string;
}) {
  const { t } = admin;
  const shown = [...rows, {}, {}] as Record<string, string | undefined>[];
  return (
    <ol class="settings-rows">
      {shown.map((row, index) => (
        <li>
          <label for={`${prefix}-${index}-${first}`}>{firstLabel}</label>
          <input
            id={`${prefix}-${index}-${first}`}
            name={`${prefix}.${index}.${first}`}
            value={row[first] ?? ''}
            maxlength={60}
          />
          <label for={`${prefix}-${index}-url`}>{t.t('admin.settings.link.url')}</label>
          <input
            id={`${prefix}-${index}-url`}
            name={`${prefix}.${index}.url`}
            value={row.url ?? ''}
            maxlength={2000}
            inputmode="url"
            placeholder="https://"
          />
        </li>
      ))}
    </ol>
  );
}

/** Admin → Settings: one form per section (decision 0058). */
export function SettingsPage(props: SettingsPageProps) {
  const { admin, values, languages, images, pages } = props;
  const { t } = admin;
  const imageSelect = (id: string, name: string, current: string | null) => (
    <select id={id} name={name}>
      <option value="">{t.t('admin.settings.identity.none')}</option>
      {images.map((image) => (
        <option value={image.id} selected={image.id === current}>
          {image.label}
        </option>
      ))}
    </select>
  );
  // One choice per page group, named by its version in the staff member's language when there is one.
  const groups = new Map<string, string>();
  for (const page of pages)
    if (!groups.has(page.group) || page.language === t.language) groups.set(page.group, page.title);
  return (
    <AdminLayout admin={admin} title={t.t('admin.settings.title')}>
      <h1>{t.t('admin.settings.title')}</h1>
      <p>{t.t('admin.settings.intro')}</p>
      <nav class="settings-toc" aria-label={t.t('admin.settings.title')}>
        <ul>
          {(
            [
              'identity',
              'languages',
              'navigation',
              'social',
              'newsletter',
              'paywall',
              'timeZone',
              'policies',
            ] as SettingsSection[]
          ).map((section) => (
            <li>
              <a href={`#settings-${section}`}>{t.t(`admin.settings.${section}` as MessageKey)}</a>
            </li>
          ))}
        </ul>
      </nav>

      <Section props={props} section="identity">
        {languages.map((language) => (
          <fieldset>
            <legend lang={language}>{languageAutonym(language)}</legend>
            <Field
              id={`name-${language}`}
              label={t.t('admin.settings.identity.name', { language: languageAutonym(language) })}
            >
              <input
                id={`name-${language}`}
                name={`name.${language}`}
                value={values.identity.names[language] ?? ''}
                maxlength={80}
                lang={language}
              />
            </Field>
            <Field
              id={`tagline-${language}`}
              label={t.t('admin.settings.identity.tagline', { language: languageAutonym(language) })}
            >
              <input
                id={`tagline-${language}`}
                name={`tagline.${language}`}
                value={values.identity.taglines[language] ?? ''}
                maxlength={160}
                lang={language}
              />
            </Field>
          </fieldset>
        ))}
        <Field id="logo" label={t.t('admin.settings.identity.logo')}>
          {imageSelect('logo', 'logoImageId', values.identity.logoImageId)}
        </Field>
        <Field id="share-image" label={t.t('admin.settings.identity.shareImage')}>
          {imageSelect('share-image', 'shareImageId', values.identity.shareImageId)}
        </Field>
        <p class="help">
          {t.t('admin.settings.identity.mediaHelp')} <a href="/admin/media">{t.t('admin.media')}</a>
        </p>
      </Section>

      <Section props={props} section="languages">
        <p class="help">{t.t('admin.settings.languages.help')}</p>
        <ul class="settings-languages">
          {languages.map((language) => {
            const position = values.languages.enabled.indexOf(language);
            return (
              <li>
                <input
                  type="checkbox"
                  id={`enabled-${language}`}
                  name="enabled"
                  value={language}
                  checked={position >= 0}
                />
                <label for={`enabled-${language}`} lang={language}>
                  {languageAutonym(language)}
                </label>
                <label for={`position-${language}`}>{t.t('admin.settings.languages.position')}</label>
                <input
                  type="number"
                  id={`position-${language}`}
                  name={`position.${language}`}
                  min={1}
                  max={20}
                  value={String(position >= 0 ? position + 1 : languages.length)}
                />
              </li>
            );
          })}
        </ul>
      </Section>

      <Section props={props} section="navigation">
        <p class="help">{t.t('admin.settings.navigation.help')}</p>
        {languages.map((language) => (
          <fieldset>
            <legend lang={language}>{languageAutonym(language)}</legend>
            <LinkRows
              admin={admin}
              prefix={`nav.${language}`}
              rows={values.navigation.links[language] ?? []}
              first="label"
              firstLabel={t.t('admin.settings.navigation.label')}
            />
          </fieldset>
        ))}
      </Section>

      <Section props={props} section="social">
        <LinkRows
          admin={admin}
          prefix="social"
          rows={values.social.links}
          first="network"
          firstLabel={t.t('admin.settings.social.network')}
        />
      </Section>

      <Section props={props} section="newsletter">
        <Field id="sender-name" label={t.t('admin.settings.newsletter.senderName')}>
          <input id="sender-name" name="senderName" value={values.newsletter.senderName} maxlength={80} />
        </Field>
        <Field id="sender-address" label={t.t('admin.settings.newsletter.senderAddress')}>
          <input
            id="sender-address"
            name="senderAddress"
            type="email"
            value={values.newsletter.senderAddress}
            maxlength={254}
          />
        </Field>
      </Section>

      <Section props={props} section="paywall">
        {(['monthly', 'yearly', 'freeStoriesMembers', 'freeStoriesAnonymous'] as const).map((field) => (
          <Field id={`paywall-${field}`} label={t.t(`admin.settings.paywall.${field}` as MessageKey)}>
            <input
              id={`paywall-${field}`}
              name={field}
              inputmode="decimal"
              value={Number.isNaN(values.paywall[field]) ? '' : String(values.paywall[field] ?? '')}
            />
          </Field>
        ))}
        <p class="help">{t.t('admin.settings.paywall.help')}</p>
      </Section>

      <Section props={props} section="timeZone">
        <Field id="zone" label={t.t('admin.settings.timeZone.zone')}>
          <input id="zone" name="zone" value={values.timeZone.zone} maxlength={64} placeholder="Europe/Paris" />
        </Field>
        <p class="help">{t.t('admin.settings.timeZone.help')}</p>
      </Section>

      <Section props={props} section="policies">
        <p class="help">
          {t.t('admin.settings.policies.help')} <a href="/admin/pages">{t.t('admin.pages.title')}</a>
        </p>
        {policyKinds.map((kind) => (
          <Field id={`policy-${kind}`} label={t.t(policyKey(kind))}>
            <select id={`policy-${kind}`} name={kind}>
              <option value="">{t.t('admin.settings.identity.none')}</option>
              {[...groups].map(([group, title]) => (
                <option value={group} selected={values.policies[kind] === group}>
                  {title}
                </option>
              ))}
            </select>
          </Field>
        ))}
      </Section>
    </AdminLayout>
  );
}
