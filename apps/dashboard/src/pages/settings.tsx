import { formatTime } from '../format.js';
import { useTitle } from '../router.js';
import { useSession } from '../session.js';
import { PushSettings } from './push-settings.js';
import { RiskRulesSettings } from './risk-rules-settings.js';
import { TelegramSettings } from './telegram-settings.js';

/** The account, signing out, linking Telegram for approvals on the go, and the risk rules. */
export function SettingsPage() {
  useTitle('Settings');
  const { session, signOut } = useSession();
  return (
    <>
      <h1>Settings</h1>
      <section className="card" aria-labelledby="account-title">
        <h2 id="account-title">Account</h2>
        <dl className="fields compact">
          <div>
            <dt>Signed in as</dt>
            <dd>{session.owner.email}</dd>
          </div>
          <div>
            <dt>Session ends</dt>
            <dd>{formatTime(session.expiresAt)}</dd>
          </div>
        </dl>
        <div className="actions">
          <button type="button" className="button secondary" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </section>
      <PushSettings />
      <TelegramSettings />
      <RiskRulesSettings />
    </>
  );
}
