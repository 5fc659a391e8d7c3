import type { TelegramDeepLink } from '@agent-otp/shared';
import { useState } from 'react';
import { describeError } from '../api.js';
import { CopyButton } from '../components/copy-button.js';
import { ErrorNotice, Loading } from '../components/states.js';
import { formatTime } from '../format.js';
import { operations } from '../operations.js';
import { useResource } from '../use-resource.js';

function NotConfigured() {
  return (
    <>
      <p>
        The relay runs no Telegram bot yet. Create one with @BotFather, start the relay with{' '}
        <code>TELEGRAM_BOT_TOKEN</code> set, and come back here to link your account. On the relay's machine
        the CLI does the same:
      </p>
      <pre>
        <code>agent-otp telegram:link</code>
      </pre>
    </>
  );
}

/** Telegram: link an account with a one-time deep link so requests arrive there with ✅/❌ buttons. */
export function TelegramSettings() {
  const [settings, reload] = useResource(() => operations.getTelegramSettings(), []);
  const [link, setLink] = useState<TelegramDeepLink | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const createLink = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setLink(await operations.createTelegramLink());
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="telegram-title">
      <h2 id="telegram-title">Telegram</h2>
      {settings.state === 'error' && <ErrorNotice message={settings.error} onRetry={reload} />}
      {settings.state === 'loading' && !settings.data && <Loading what="Telegram settings" />}
      {settings.data && !settings.data.configured && <NotConfigured />}
      {settings.data?.configured && (
        <>
          <p>
            Approve requests from Telegram
            {settings.data.botUsername ? ` with @${settings.data.botUsername}` : ''}. Requests reach every
            linked account and this page; the first decision wins.
          </p>
          <p>
            {settings.data.links.length === 0
              ? 'No Telegram account is linked yet.'
              : `Linked accounts: ${settings.data.links.map((l) => `${l.telegramUserId} (since ${formatTime(l.linkedAt)})`).join(', ')}.`}
          </p>
          {link ? (
            <div className="secret-once">
              <p>
                Open this link on the phone where you use Telegram and press Start. It works once, until{' '}
                {formatTime(link.expiresAt)}.
              </p>
              <div className="secret-row">
                <a className="secret" href={link.url} target="_blank" rel="noreferrer noopener">
                  {link.url}
                </a>
                <CopyButton text={link.url} />
              </div>
              <button
                type="button"
                className="button secondary"
                onClick={() => {
                  setLink(undefined);
                  reload();
                }}
              >
                Done
              </button>
            </div>
          ) : (
            <button type="button" className="button primary" onClick={createLink} disabled={busy}>
              {busy ? 'Creating link…' : 'Link Telegram'}
            </button>
          )}
          {error && (
            <p className="inline-error" role="alert">
              {error}
            </p>
          )}
        </>
      )}
    </section>
  );
}
