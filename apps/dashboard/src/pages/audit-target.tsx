import { Link } from '../router.js';

/** Where a target ID is shown in the dashboard, by its prefix; undefined when it has no page. */
function pageOf(targetId: string): string | undefined {
  if (/^(otp|prm)_/.test(targetId)) return `/requests/${encodeURIComponent(targetId)}`;
  if (targetId.startsWith('agt_')) return '/agents';
  if (targetId.startsWith('pol_')) return '/policies';
  return undefined;
}

/** An audit event's target: a link to its page (a request's timeline, the agents, the policies) when it has one. */
export function AuditTarget({ targetId }: { targetId: string | null }) {
  if (!targetId) return <>—</>;
  const href = pageOf(targetId);
  return href ? (
    <Link href={href} className="mono">
      {targetId}
    </Link>
  ) : (
    <span className="mono">{targetId}</span>
  );
}
