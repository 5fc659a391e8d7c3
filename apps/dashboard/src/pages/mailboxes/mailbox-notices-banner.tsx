import { useEffect } from 'react';
import { formatTime } from '../../format.js';
import { operations } from '../../operations.js';
import { Link } from '../../router.js';
import { useResource } from '../../use-resource.js';

/** The notices follow the mailboxes' health, which the running instance writes as it changes. */
const REFRESH_MS = 30_000;

/**
 * A banner per mailbox of the owner's that has been failing (or reconnecting) for longer than
 * the relay's MAILBOX_FAILING_NOTICE_MINUTES, with its last error and a link to Sources where
 * it is fixed. Nothing while all mailboxes are well, or when the notices cannot be loaded
 * (the approvals page must never be blocked by it).
 */
export function MailboxNoticesBanner() {
  const [notices, reload] = useResource(() => operations.listMailboxNotices(), []);
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);
  const list = notices.data?.notices ?? [];
  if (list.length === 0) return null;
  return (
    <div className="mailbox-notices">
      {list.map((notice) => (
        <p key={notice.mailboxId} className="notice" role="alert" data-mailbox-id={notice.mailboxId}>
          Mailbox <strong>{notice.name}</strong> has been failing since {formatTime(notice.since)}:{' '}
          {notice.lastError ?? 'no error was recorded'}. <Link href="/sources">Fix it on Sources</Link>
        </p>
      ))}
    </div>
  );
}
