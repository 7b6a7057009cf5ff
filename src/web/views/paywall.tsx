import type { AccessDecision } from '../../domain/paywall/access-policy.js';
import { paths, type SiteContext } from './site-context.js';

/**
 * The element that holds a gated story's withheld text on the page of a reader who receives it
 * whole (a subscriber, a metered read): what NewsArticle JSON-LD names in `hasPart.cssSelector`,
 * as Google's markup for paywalled content asks (a `.class` selector on the paywalled section,
 * not on the subscribe box). A reader without access receives no such element: the text is
 * never sent to them.
 */
export const paywalledPartClass = 'story__paywalled';

/** The `isAccessibleForFree` / `hasPart` fields of a gated story's NewsArticle JSON-LD. */
export function gatedStructuredData(gated: boolean) {
  return gated
    ? {
        isAccessibleForFree: false,
        hasPart: {
          '@type': 'WebPageElement',
          isAccessibleForFree: false,
          cssSelector: `.${paywalledPartClass}`,
        },
      }
    : { isAccessibleForFree: true };
}

export interface PaywallProps {
  site: SiteContext;
  decision: AccessDecision;
  /** The story's own path: where signing in leads back to. */
  articlePath: string;
  /** The uncached route that spends an anonymous reader's cookie meter; null when there is none. */
  meterPath: string | null;
  anonymousAllowance: number;
  signedIn: boolean;
  /** Shown on the meter route once the browser's free stories are used up. */
  meterExhausted?: boolean;
}

/** What a reader without access sees after the story's beginning: why, and the way in. */
export function Paywall({
  site,
  decision,
  articlePath,
  meterPath,
  anonymousAllowance,
  signedIn,
  meterExhausted = false,
}: PaywallProps) {
  const { t } = site;
  const forMembers = decision.reason === 'needs-account';
  const signIn = `/${t.language}/account?next=${encodeURIComponent(articlePath)}`;
  return (
    <section class="paywall" aria-labelledby="paywall-title">
      <h2 id="paywall-title">{t.t(forMembers ? 'paywall.membersTitle' : 'paywall.paidTitle')}</h2>
      <p>{t.t(forMembers ? 'paywall.membersBody' : 'paywall.paidBody')}</p>
      {decision.meter && signedIn ? (
        <p class="paywall__meter">{t.t('paywall.meterUsed', { allowance: decision.meter.allowance })}</p>
      ) : null}
      {meterExhausted ? (
        <p class="paywall__meter">{t.t('paywall.anonymousMeterUsed', { allowance: anonymousAllowance })}</p>
      ) : null}
      <p class="paywall__actions">
        {forMembers ? (
          <a class="button" href={signIn}>
            {t.t('paywall.createAccount')}
          </a>
        ) : (
          <a class="button" href={paths.subscribe(t.language)}>
            {t.t('paywall.seeOffers')}
          </a>
        )}
        {!signedIn && !forMembers ? (
          <>
            {' '}
            <a href={signIn}>{t.t('paywall.signIn')}</a>
          </>
        ) : null}
      </p>
      {!signedIn && meterPath && !meterExhausted && anonymousAllowance > 0 ? (
        <p class="paywall__free">
          <a href={meterPath} rel="nofollow">
            {t.t('paywall.readFree', { allowance: anonymousAllowance })}
          </a>{' '}
          <span class="paywall__honest">{t.t('paywall.softLimit')}</span>
        </p>
      ) : null}
    </section>
  );
}

/** Above a story opened with the monthly allowance: how much of it is left. */
export function MeteredNotice({ site, meter }: { site: SiteContext; meter: { used: number; allowance: number } }) {
  const { t } = site;
  return (
    <p class="notice metered" role="status">
      {t.t('paywall.metered', { used: meter.used, allowance: meter.allowance })}{' '}
      <a href={paths.subscribe(t.language)}>{t.t('paywall.seeOffers')}</a>
    </p>
  );
}
