import { accountOperations } from '../../account-operations.js';
import { ConfirmActions } from '../../components/confirm-actions.js';
import { RelativeTime } from '../../components/relative-time.js';
import { ErrorNotice, Loading } from '../../components/states.js';
import { useSession } from '../../session.js';
import { useResource } from '../../use-resource.js';

/** The browser a session was opened in, as a person would name it. */
function describeBrowser(userAgent: string | null): string {
  if (!userAgent) return 'Unknown browser';
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrome\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : undefined;
  const system = /Android/.test(userAgent)
    ? 'Android'
    : /iPhone|iPad/.test(userAgent)
      ? 'iOS'
      : /Mac OS X/.test(userAgent)
        ? 'macOS'
        : /Windows/.test(userAgent)
          ? 'Windows'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : undefined;
  return browser && system ? `${browser} on ${system}` : userAgent.slice(0, 60);
}

/** Every browser signed in as the owner; any can be ended (this one signs out). */
export function SessionsSection() {
  const [sessions, reload] = useResource(() => accountOperations.listBrowserSessions(), []);
  const { signOut } = useSession();
  return (
    <section className="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Signed-in browsers</h2>
      {sessions.state === 'loading' && !sessions.data && <Loading what="your sessions" />}
      {sessions.state === 'error' && <ErrorNotice message={sessions.error} onRetry={reload} />}
      {sessions.data && (
        <ul className="account-rows" aria-label="Your sessions">
          {sessions.data.sessions.map((session) => (
            <li key={session.id} className="account-row" data-session-id={session.id}>
              <div className="account-row-main">
                <strong title={session.userAgent ?? undefined}>{describeBrowser(session.userAgent)}</strong>
                {session.current && <span className="badge">This browser</span>}
                <span className="hint">
                  {' '}
                  signed in <RelativeTime iso={session.createdAt} />
                  {session.lastSeenAt && (
                    <>
                      , last seen <RelativeTime iso={session.lastSeenAt} />
                    </>
                  )}
                </span>
              </div>
              <ConfirmActions
                actions={[
                  {
                    action: 'end',
                    label: session.current ? 'Sign out here' : 'End session',
                    confirmLabel: session.current ? 'Sign out now' : 'End it now',
                    warning: session.current
                      ? 'This browser will be signed out.'
                      : 'That browser will be signed out at once.',
                    danger: !session.current,
                  },
                ]}
                run={async () => {
                  if (session.current) return signOut();
                  await accountOperations.endBrowserSession(session.id);
                  reload();
                }}
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
