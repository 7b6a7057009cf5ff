import type { SessionInfo } from '../../domain/staff/staff-service.js';
import { type AdminContext, AdminLayout, Csrf, Notice } from './admin-views.js';

export type PageNotice = { kind: 'error' | 'success' | 'warning'; text: string };

/**
 * The browser and system a user agent names, in brand names (they are not translated); null for
 * what it does not say. Enough to tell "Firefox on Windows" from "Safari on iPhone" in the list.
 */
export function describeUserAgent(userAgent: string): { browser: string | null; system: string | null } {
  const ua = userAgent.slice(0, 300);
  const browser = /Edg(e|A|iOS)?\//.test(ua)
    ? 'Edge'
    : /OPR\/|Opera/.test(ua)
      ? 'Opera'
      : /Firefox\/|FxiOS\//.test(ua)
        ? 'Firefox'
        : /Chrome\/|CriOS\/|Chromium\//.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua) && /Version\//.test(ua)
            ? 'Safari'
            : null;
  const system = /iPhone|iPad|iPod/.test(ua)
    ? 'iOS'
    : /Android/.test(ua)
      ? 'Android'
      : /CrOS/.test(ua)
        ? 'ChromeOS'
        : /Windows/.test(ua)
          ? 'Windows'
          : /Mac OS X|Macintosh/.test(ua)
            ? 'macOS'
            : /Linux/.test(ua)
              ? 'Linux'
              : null;
  return { browser, system };
}

function deviceName(admin: AdminContext, userAgent: string): string {
  const { t } = admin;
  const { browser, system } = describeUserAgent(userAgent);
  if (browser && system) return t.t('admin.account.device', { browser, system });
  return browser ?? system ?? t.t('admin.account.deviceUnknown');
}

function PasswordField({
  id,
  name,
  label,
  autocomplete,
}: {
  id: string;
  name: string;
  label: string;
  autocomplete: string;
}) {
  return (
    <>
      <label for={id}>{label}</label>
      <input id={id} name={name} type="password" required maxlength={256} autocomplete={autocomplete} />
    </>
  );
}

/** Admin → Account: password, two-factor sign-in, and the sessions signed in to the account. */
export function AccountPage({
  admin,
  twoFactor,
  sessions,
  notice,
}: {
  admin: AdminContext;
  twoFactor: { enabled: boolean; recoveryCodesLeft: number };
  sessions: SessionInfo[];
  notice?: PageNotice;
}) {
  const { t } = admin;
  const others = sessions.filter((s) => !s.current).length;
  return (
    <AdminLayout admin={admin} title={t.t('admin.account.title')}>
      <h1>{t.t('admin.account.title')}</h1>
      {notice ? <Notice kind={notice.kind}>{notice.text}</Notice> : null}

      <section class="admin-card" aria-labelledby="account-password">
        <h2 id="account-password">{t.t('admin.account.password')}</h2>
        <p>{t.t('admin.account.passwordIntro')}</p>
        <form method="post" action="/admin/account/password" class="stack">
          <Csrf admin={admin} />
          <PasswordField
            id="password-current"
            name="current"
            label={t.t('admin.account.currentPassword')}
            autocomplete="current-password"
          />
          <label for="password-new">{t.t('admin.account.newPassword')}</label>
          <input
            id="password-new"
            name="password"
            type="password"
            required
            minlength={10}
            maxlength={256}
            autocomplete="new-password"
          />
          <button type="submit" class="primary">
            {t.t('admin.account.changePassword')}
          </button>
        </form>
      </section>

      <section class="admin-card" aria-labelledby="account-two-factor">
        <h2 id="account-two-factor">{t.t('admin.twoFactor.title')}</h2>
        {twoFactor.enabled ? (
          <>
            <p>
              <strong>{t.t('admin.twoFactor.on')}</strong>{' '}
              {t.t('admin.twoFactor.codesLeft', { count: twoFactor.recoveryCodesLeft })}
            </p>
            <form method="post" action="/admin/account/two-factor/off" class="stack">
              <Csrf admin={admin} />
              <PasswordField
                id="two-factor-off-password"
                name="password"
                label={t.t('admin.account.currentPassword')}
                autocomplete="current-password"
              />
              <button type="submit" class="danger">
                {t.t('admin.twoFactor.turnOff')}
              </button>
            </form>
          </>
        ) : (
          <>
            <p>{t.t('admin.twoFactor.offIntro')}</p>
            <form method="post" action="/admin/account/two-factor/start">
              <Csrf admin={admin} />
              <button type="submit" class="primary">
                {t.t('admin.twoFactor.turnOn')}
              </button>
            </form>
          </>
        )}
      </section>

      <section class="admin-card" aria-labelledby="account-sessions">
        <h2 id="account-sessions">{t.t('admin.account.sessions')}</h2>
        <ul class="session-list">
          {sessions.map((session) => (
            <li>
              <p>
                <strong>{deviceName(admin, session.userAgent)}</strong>
                {session.current ? <span class="badge">{t.t('admin.account.thisDevice')}</span> : null}
              </p>
              <dl>
                <dt>{t.t('admin.account.started')}</dt>
                <dd>
                  <time dateTime={session.createdAt.toISOString()}>{t.dateTime(session.createdAt)}</time>
                </dd>
                <dt>{t.t('admin.account.lastUsed')}</dt>
                <dd>
                  {session.lastUsedAt ? (
                    <time dateTime={session.lastUsedAt.toISOString()}>{t.dateTime(session.lastUsedAt)}</time>
                  ) : (
                    t.dateTime(session.createdAt)
                  )}
                </dd>
                <dt>{t.t('admin.account.address')}</dt>
                <dd>
                  <bdi>{session.ip || '—'}</bdi>
                </dd>
              </dl>
              {session.current ? null : (
                <form method="post" action="/admin/account/sessions/end" class="inline">
                  <Csrf admin={admin} />
                  <input type="hidden" name="session" value={session.handle} />
                  <button type="submit">{t.t('admin.account.endSession')}</button>
                </form>
              )}
            </li>
          ))}
        </ul>
        {others > 0 ? (
          <form method="post" action="/admin/account/sessions/end-others">
            <Csrf admin={admin} />
            <button type="submit" class="danger">
              {t.t('admin.account.endOthers')}
            </button>
          </form>
        ) : null}
      </section>
    </AdminLayout>
  );
}

/** Setting up two-factor sign-in: the QR code, the secret as text, and the code that confirms it. */
export function TwoFactorEnrolPage({
  admin,
  secret,
  qrDataUri,
  error,
}: {
  admin: AdminContext;
  secret: string;
  qrDataUri: string;
  error?: string;
}) {
  const { t } = admin;
  return (
    <AdminLayout admin={admin} title={t.t('admin.twoFactor.setupTitle')}>
      <section class="admin-card two-factor-setup">
        <h1>{t.t('admin.twoFactor.setupTitle')}</h1>
        {error ? <Notice kind="error">{error}</Notice> : null}
        <ol>
          <li>{t.t('admin.twoFactor.stepScan')}</li>
          <li>{t.t('admin.twoFactor.stepConfirm')}</li>
        </ol>
        <img class="qr-code" src={qrDataUri} width={240} height={240} alt={t.t('admin.twoFactor.qrAlt')} />
        <p>{t.t('admin.twoFactor.secretLabel')}</p>
        <p class="invitation-link">
          <code id="two-factor-secret" dir="ltr">
            {secret.replace(/(.{4})/g, '$1 ').trim()}
          </code>
        </p>
        <form method="post" action="/admin/account/two-factor/confirm" class="stack">
          <Csrf admin={admin} />
          <label for="two-factor-code">{t.t('admin.twoFactor.codeLabel')}</label>
          <input
            id="two-factor-code"
            name="code"
            required
            inputMode="numeric"
            pattern="[0-9 ]{6,7}"
            maxLength={7}
            autocomplete="one-time-code"
            dir="ltr"
          />
          <button type="submit" class="primary">
            {t.t('admin.twoFactor.confirm')}
          </button>
        </form>
        <p>
          <a href="/admin/account">{t.t('admin.twoFactor.cancel')}</a>
        </p>
      </section>
    </AdminLayout>
  );
}

/** The recovery codes, shown once, right after two-factor sign-in is turned on. */
export function RecoveryCodesPage({ admin, codes }: { admin: AdminContext; codes: string[] }) {
  const { t } = admin;
  return (
    <AdminLayout admin={admin} title={t.t('admin.twoFactor.codesTitle')}>
      <section class="admin-card">
        <h1>{t.t('admin.twoFactor.codesTitle')}</h1>
        <Notice kind="success">{t.t('admin.twoFactor.enabled')}</Notice>
        <p>{t.t('admin.twoFactor.codesIntro', { count: codes.length })}</p>
        <ul class="recovery-codes" dir="ltr">
          {codes.map((code) => (
            <li>
              <code>{code}</code>
            </li>
          ))}
        </ul>
        <p>
          <a href="/admin/account">{t.t('admin.twoFactor.codesDone')}</a>
        </p>
      </section>
    </AdminLayout>
  );
}

/** The second step of signing in: the code from the app, or a recovery code. */
export function SecondFactorPage({ admin, next, error }: { admin: AdminContext; next: string; error?: string }) {
  const { t } = admin;
  return (
    <AdminLayout admin={admin} title={t.t('admin.twoFactor.signInTitle')}>
      <section class="admin-card">
        <h1>{t.t('admin.twoFactor.signInTitle')}</h1>
        {error ? <Notice kind="error">{error}</Notice> : null}
        <p>{t.t('admin.twoFactor.signInIntro')}</p>
        <form method="post" action="/admin/login/code" class="stack">
          <Csrf admin={admin} />
          <input type="hidden" name="next" value={next} />
          <label for="signin-code">{t.t('admin.twoFactor.signInCode')}</label>
          <input
            id="signin-code"
            name="code"
            required
            maxLength={40}
            autocomplete="one-time-code"
            autocapitalize="off"
            spellcheck={false}
            dir="ltr"
          />
          <button type="submit" class="primary">
            {t.t('admin.login.submit')}
          </button>
        </form>
        <p>
          <a href="/admin/login">{t.t('admin.twoFactor.startAgain')}</a>
        </p>
      </section>
    </AdminLayout>
  );
}
