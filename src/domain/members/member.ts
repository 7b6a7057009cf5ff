/** A reader's account: an email address, a language, and what access they have. */

export const plans = ['monthly', 'yearly'] as const;
export type Plan = (typeof plans)[number];

/** Stripe's subscription statuses, kept as Stripe names them. */
export const subscriptionStatuses = [
  'active',
  'trialing',
  'past_due',
  'unpaid',
  'canceled',
  'incomplete',
  'incomplete_expired',
  'paused',
] as const;
export type SubscriptionStatus = (typeof subscriptionStatuses)[number];

/** Statuses that open paid stories: a late payment keeps access while Stripe retries it. */
const payingStatuses: readonly SubscriptionStatus[] = ['active', 'trialing', 'past_due'];

export interface Subscription {
  stripeSubscriptionId: string;
  status: SubscriptionStatus;
  plan: Plan;
  /** End of the period paid for: the renewal date, or the end of access after a cancellation. */
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  /** `created` of the newest Stripe event applied to it. */
  lastEventAt: Date;
}

/** Paid access handed out by staff; `until` null means until revoked. */
export interface Complimentary {
  until: Date | null;
}

export interface Member {
  id: string;
  email: string;
  /** The language of the emails we send them and of their account page. */
  language: string;
  createdAt: Date;
  lastSeenAt: Date | null;
  stripeCustomerId: string | null;
  complimentary: Complimentary | null;
  subscription: Subscription | null;
}

export type Tier = 'free' | 'paid';
export const tiers: readonly Tier[] = ['free', 'paid'];

/** What the staff list filters on: the one word that says where a member stands. */
export const memberStatuses = ['free', 'active', 'canceling', 'past_due', 'complimentary', 'lapsed'] as const;
export type MemberStatus = (typeof memberStatuses)[number];

export function hasComplimentaryAccess(member: Pick<Member, 'complimentary'>, now: Date): boolean {
  const grant = member.complimentary;
  return grant !== null && (grant.until === null || grant.until > now);
}

export function hasPaidSubscription(member: Pick<Member, 'subscription'>, now: Date): boolean {
  const subscription = member.subscription;
  if (!subscription || !payingStatuses.includes(subscription.status)) return false;
  // Stripe ends the subscription itself; this only guards against a webhook that never came.
  return (
    subscription.currentPeriodEnd === null || subscription.currentPeriodEnd.getTime() + 3 * 86_400_000 > now.getTime()
  );
}

export function tierOf(member: Pick<Member, 'complimentary' | 'subscription'>, now: Date): Tier {
  return hasComplimentaryAccess(member, now) || hasPaidSubscription(member, now) ? 'paid' : 'free';
}

export function statusOf(member: Pick<Member, 'complimentary' | 'subscription'>, now: Date): MemberStatus {
  if (hasPaidSubscription(member, now)) {
    const subscription = member.subscription as Subscription;
    if (subscription.status === 'past_due') return 'past_due';
    return subscription.cancelAtPeriodEnd ? 'canceling' : 'active';
  }
  if (hasComplimentaryAccess(member, now)) return 'complimentary';
  return member.subscription || member.complimentary ? 'lapsed' : 'free';
}
