import type { ComponentChildren } from 'preact';
import { type Member, statusOf, tierOf } from '../../domain/members/member.js';
import { Layout } from './layout.js';
import { everyLanguage, SitePageSocial } from './pages.js';
import { paths, type SiteContext } from './site-context.js';
import { largeImagePreviews } from './structured-data.js';

/** Prices as configured (KIOSQUE_CURRENCY, KIOSQUE_PRICE_*), shown in the page's language. */
export interface Pricing {
  currency: string;
  monthly: number;
  yearly: number;
  /** Paid stories a signed-in member may read free each month. */
  freeStories: number;
}

export const accountPaths = {
  account: (language: string) => `/${language}/account`,
  signIn: (language: string) => `/${language}/account/signin`,
  sent: (language: string) => `/${language}/account/signin/sent`,
  verify: (language: string) => `/${language}/account/verify`,
  signOut: (language: string) => `/${language}/account/signout`,
  export: (language: string) => `/${language}/account/export`,
  delete: (language: string) => `/${language}/account/delete`,
  cancel: (language: string) => `/${language}/account/subscription/cancel`,
  portal: (language: string) => `/${language}/account/billing`,
  newsletters: (language: string) => `/${language}/account/newsletters`,
  checkout: (language: string) => `/${language}/subscribe/checkout`,
  welcome: (language: string) => `/${language}/subscribe/welcome`,
  read: (language: string, slug: string) => `/${language}/read/${slug}`,
};

export function formatPrice(site: SiteContext, pricing: Pricing, amount: number): string {
  return new Intl.NumberFormat(site.t.language, { style: 'currency', currency: pricing.currency }).format(amount);
}

/** Personal pages are never indexed. */
const noindex = <meta name="robots" content="noindex" />;

function AccountLayout({ site, title, children }: { site: SiteContext; title: string; children: ComponentChildren }) {
  return (
    <Layout site={site} title={`${title} — ${site.name}`} head={noindex}>
      <section class="account">{children}</section>
    </Layout>
  );
}

export function SignInPage({
  site,
  next,
  error,
  email = '',
}: {
  site: SiteContext;
  next: string | null;
  error?: string;
  email?: string;
}) {
  const { t } = site;
  return (
    <AccountLayout site={site} title={t.t('member.signIn.title')}>
      <h1>{t.t('member.signIn.title')}</h1>
      {error ? (
        <p class="notice notice--error" role="alert">
          {error}
        </p>
      ) : null}
      <p>{t.t('member.signIn.intro')}</p>
      <form method="post" action={accountPaths.signIn(t.language)} class="account__form">
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <label for="member-email">{t.t('member.signIn.label')}</label>
        <div class="newsletter__row">
          <input
            id="member-email"
            type="email"
            name="email"
            required
            maxlength={254}
            autocomplete="email"
            inputmode="email"
            value={email}
          />
          <button type="submit">{t.t('member.signIn.submit')}</button>
        </div>
      </form>
      <p class="account__note">{t.t('member.signIn.privacy')}</p>
    </AccountLayout>
  );
}

export function SignInSentPage({ site }: { site: SiteContext }) {
  const { t } = site;
  return (
    <AccountLayout site={site} title={t.t('member.sent.title')}>
      <h1>{t.t('member.sent.title')}</h1>
      <p>{t.t('member.sent.body', { minutes: 15 })}</p>
    </AccountLayout>
  );
}

export function VerifyPage({
  site,
  token,
  next,
  csrf,
}: {
  site: SiteContext;
  token: string;
  next: string | null;
  csrf: string;
}) {
  const { t } = site;
  return (
    <AccountLayout site={site} title={t.t('member.verify.title')}>
      <h1>{t.t('member.verify.title')}</h1>
      {/* A button, not the link itself: mail scanners that open links must not use up the one-time link. */}
      <p>{t.t('member.verify.body')}</p>
      <form method="post" action={accountPaths.verify(t.language)}>
        <input type="hidden" name="_csrf" value={csrf} />
        <input type="hidden" name="token" value={token} />
        {next ? <input type="hidden" name="next" value={next} /> : null}
        <button type="submit">{t.t('member.verify.submit', { site: site.name })}</button>
      </form>
    </AccountLayout>
  );
}

export interface AccountView {
  member: Member;
  now: Date;
  csrf: string;
  newsletters: { list: string; language: string; status: string }[];
  /** Newsletters they could receive (each language's default list), through the signup's confirmation. */
  available: { language: string; name: string }[];
  meter: { used: number; allowance: number };
  billingOpen: boolean;
  notice?: string;
}

function Csrf({ value }: { value: string }) {
  return <input type="hidden" name="_csrf" value={value} />;
}

export function AccountPage({ site, view }: { site: SiteContext; view: AccountView }) {
  const { t } = site;
  const { member, now, csrf } = view;
  const lang = t.language;
  const status = statusOf(member, now);
  const subscription = member.subscription;
  const paid = tierOf(member, now) === 'paid';
  return (
    <AccountLayout site={site} title={t.t('member.account.title')}>
      <h1>{t.t('member.account.title')}</h1>
      {view.notice ? (
        <p class="notice" role="status">
          {view.notice}
        </p>
      ) : null}
      <p>{t.t('member.account.signedInAs', { email: member.email })}</p>

      <h2>{t.t('member.account.subscription')}</h2>
      <dl class="account__facts">
        <dt>{t.t('member.account.status')}</dt>
        <dd>{t.t(`member.status.${status}`)}</dd>
        {subscription && status !== 'free' && status !== 'lapsed' ? (
          <>
            <dt>{t.t('member.account.plan')}</dt>
            <dd>{t.t(`member.plan.${subscription.plan}`)}</dd>
            {subscription.currentPeriodEnd ? (
              <>
                <dt>{t.t(subscription.cancelAtPeriodEnd ? 'member.account.endsOn' : 'member.account.renewsOn')}</dt>
                <dd>
                  <time datetime={subscription.currentPeriodEnd.toISOString()}>
                    {t.date(subscription.currentPeriodEnd)}
                  </time>
                </dd>
              </>
            ) : null}
          </>
        ) : null}
        {status === 'complimentary' && member.complimentary ? (
          <>
            <dt>{t.t('member.account.complimentaryUntil')}</dt>
            <dd>
              {member.complimentary.until ? (
                <time datetime={member.complimentary.until.toISOString()}>{t.date(member.complimentary.until)}</time>
              ) : (
                t.t('member.account.noEnd')
              )}
            </dd>
          </>
        ) : null}
        {!paid && view.meter.allowance > 0 ? (
          <>
            <dt>{t.t('member.account.freeStories')}</dt>
            <dd>
              {t.t('member.account.freeStoriesCount', { used: view.meter.used, allowance: view.meter.allowance })}
            </dd>
          </>
        ) : null}
      </dl>
      {(status === 'active' || status === 'past_due') && view.billingOpen ? (
        <form method="post" action={accountPaths.cancel(lang)} class="account__inline">
          <Csrf value={csrf} />
          <button type="submit">{t.t('member.account.cancel')}</button>
          <span class="account__note"> {t.t('member.account.cancelNote')}</span>
        </form>
      ) : null}
      {member.stripeCustomerId && view.billingOpen ? (
        <form method="post" action={accountPaths.portal(lang)} class="account__inline">
          <Csrf value={csrf} />
          <button type="submit">{t.t('member.account.manageBilling')}</button>
        </form>
      ) : null}
      {!paid ? (
        <p>
          <a class="button" href={paths.subscribe(lang)}>
            {t.t('subscribe.cta')}
          </a>
        </p>
      ) : null}

      <h2>{t.t('member.account.newsletters')}</h2>
      {view.newsletters.length > 0 ? (
        <ul>
          {view.newsletters.map((newsletter) => (
            <li>
              {newsletter.list} —{' '}
              {t.t(
                `member.newsletterStatus.${newsletter.status === 'confirmed' ? 'confirmed' : newsletter.status === 'pending' ? 'pending' : 'unsubscribed'}`,
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t.t('member.account.noNewsletter')}</p>
      )}
      {view.available.map((list) => (
        <form method="post" action={accountPaths.newsletters(lang)} class="account__inline">
          <Csrf value={csrf} />
          <input type="hidden" name="language" value={list.language} />
          <button type="submit">{t.t('member.account.receive', { name: list.name })}</button>
        </form>
      ))}

      <h2>{t.t('member.account.data')}</h2>
      <p>
        <a href={accountPaths.export(lang)}>{t.t('member.account.export')}</a>
      </p>
      <form method="post" action={accountPaths.delete(lang)} class="account__danger">
        <Csrf value={csrf} />
        <p>{t.t('member.account.deleteNote')}</p>
        <p>
          <input type="checkbox" id="confirm-delete" name="confirm" value="yes" required />{' '}
          <label for="confirm-delete">{t.t('member.account.deleteConfirm')}</label>
        </p>
        <button type="submit">{t.t('member.account.delete')}</button>
      </form>

      <form method="post" action={accountPaths.signOut(lang)} class="account__inline">
        <Csrf value={csrf} />
        <button type="submit">{t.t('member.account.signOut')}</button>
      </form>
    </AccountLayout>
  );
}

export function PricingPage({
  site,
  pricing,
  billingOpen,
  member,
  csrf,
  now,
}: {
  site: SiteContext;
  pricing: Pricing;
  billingOpen: boolean;
  /** Only on the private render of a signed-in member; the cached page has none. */
  member: Member | null;
  csrf: string | null;
  now: Date;
}) {
  const { t } = site;
  const lang = t.language;
  const paid = member ? tierOf(member, now) === 'paid' : false;
  const plans = [
    { plan: 'monthly' as const, price: pricing.monthly, per: 'pricing.perMonth' as const },
    { plan: 'yearly' as const, price: pricing.yearly, per: 'pricing.perYear' as const },
  ];
  return (
    <Layout
      site={site}
      title={`${t.t('subscribe.title')} — ${site.name}`}
      description={t.t('subscribe.pitch')}
      path={paths.subscribe(lang)}
      alternates={everyLanguage(site, paths.subscribe)}
      head={
        <>
          {largeImagePreviews}
          <SitePageSocial
            site={site}
            title={`${t.t('subscribe.title')} — ${site.name}`}
            description={t.t('subscribe.pitch')}
            path={paths.subscribe(lang)}
          />
        </>
      }
    >
      <section class="pricing">
        <h1>{t.t('subscribe.title')}</h1>
        <p>{t.t('subscribe.pitch')}</p>
        {!billingOpen ? (
          <p class="notice" role="status">
            {t.t('pricing.closed')}
          </p>
        ) : null}
        <ul class="tiers">
          <li class="tier">
            <h2>{t.t('pricing.freeTitle')}</h2>
            <p class="tier__price">{formatPrice(site, pricing, 0)}</p>
            <ul>
              <li>{t.t('pricing.freePublic')}</li>
              <li>{t.t('pricing.freeMembers')}</li>
              {pricing.freeStories > 0 ? <li>{t.t('pricing.freeMeter', { count: pricing.freeStories })}</li> : null}
              <li>{t.t('pricing.freeNewsletters')}</li>
            </ul>
            {member ? null : (
              <p>
                <a class="button" href={accountPaths.account(lang)}>
                  {t.t('pricing.freeCta')}
                </a>
              </p>
            )}
          </li>
          {plans.map(({ plan, price, per }) => (
            <li class="tier tier--paid">
              <h2>{t.t(`member.plan.${plan}`)}</h2>
              <p class="tier__price">{t.t(per, { price: formatPrice(site, pricing, price) })}</p>
              <ul>
                <li>{t.t('pricing.paidAll')}</li>
                <li>{t.t('pricing.paidCancel')}</li>
              </ul>
              {!billingOpen ? null : paid ? (
                <p>
                  <a href={accountPaths.account(lang)}>{t.t('pricing.alreadyPaid')}</a>
                </p>
              ) : member && csrf ? (
                <form method="post" action={accountPaths.checkout(lang)}>
                  <input type="hidden" name="_csrf" value={csrf} />
                  <input type="hidden" name="plan" value={plan} />
                  <button type="submit">{t.t('pricing.choose')}</button>
                </form>
              ) : (
                <p>
                  <a
                    class="button"
                    href={`${accountPaths.account(lang)}?next=${encodeURIComponent(paths.subscribe(lang))}`}
                  >
                    {t.t('pricing.signInToSubscribe')}
                  </a>
                </p>
              )}
            </li>
          ))}
        </ul>
        <p class="account__note">{t.t('pricing.currencyNote', { currency: pricing.currency })}</p>
      </section>
    </Layout>
  );
}

export function WelcomePage({ site }: { site: SiteContext }) {
  const { t } = site;
  return (
    <AccountLayout site={site} title={t.t('pricing.welcomeTitle')}>
      <h1>{t.t('pricing.welcomeTitle')}</h1>
      <p>{t.t('pricing.welcomeBody')}</p>
      <p>
        <a class="button" href={accountPaths.account(t.language)}>
          {t.t('member.account.title')}
        </a>
      </p>
    </AccountLayout>
  );
}
