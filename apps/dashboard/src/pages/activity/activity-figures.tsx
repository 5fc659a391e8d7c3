import type { ActivityDuration, ActivitySummary } from '@agent-otp/shared';

/** "0 s", "45 s", "2 min 5 s", "1 h 3 min": a duration in words a reader takes in at once. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}

function percent(rate: number): string {
  return `${Math.round(rate * 100)}%`;
}

function DurationFigure({
  title,
  duration,
  what,
}: {
  title: string;
  duration: ActivityDuration;
  what: string;
}) {
  return (
    <div className="activity-figure">
      <dt>{title}</dt>
      {duration.medianMs === null || duration.p90Ms === null ? (
        <dd>
          <span className="activity-figure-value">—</span>
          <span className="hint">No {what} in these days.</span>
        </dd>
      ) : (
        <dd>
          <span className="activity-figure-value">{formatDuration(duration.medianMs)}</span>
          <span className="hint">
            median; 90% within {formatDuration(duration.p90Ms)} ({duration.count} {what})
          </span>
        </dd>
      )}
    </div>
  );
}

function RateFigure({
  title,
  rate,
  count,
  ended,
}: {
  title: string;
  rate: number | null;
  count: number;
  ended: number;
}) {
  return (
    <div className="activity-figure">
      <dt>{title}</dt>
      <dd>
        <span className="activity-figure-value">{rate === null ? '—' : percent(rate)}</span>
        <span className="hint">
          {rate === null ? 'No request has ended yet.' : `${count} of ${ended} ended requests`}
        </span>
      </dd>
    </div>
  );
}

/** Time to decide, approval to code, expiry and denial rates, as a description list. */
export function ActivityFigures({ summary }: { summary: ActivitySummary }) {
  const ended = summary.requests - summary.outcomes.pending;
  return (
    <>
      <dl className="activity-figures">
        <DurationFigure title="Time to decide" duration={summary.timeToDecide} what="decisions" />
        <DurationFigure title="Approval to code" duration={summary.approvalToCode} what="codes" />
        <RateFigure
          title="Expiry rate"
          rate={summary.expiryRate}
          count={summary.outcomes.expired}
          ended={ended}
        />
        <RateFigure
          title="Denial rate"
          rate={summary.denialRate}
          count={summary.outcomes.denied}
          ended={ended}
        />
      </dl>
      {summary.durationsSampled && (
        <p className="hint">
          These days hold more decisions than are measured at once: the times are those of the newest 5,000 of
          each kind. The counts and rates cover every request.
        </p>
      )}
    </>
  );
}
