import { useId } from 'react';
import { activityOperations } from '../../activity-operations.js';
import { Empty, ErrorNotice, Loading } from '../../components/states.js';
import { operations } from '../../operations.js';
import { navigate, useLocation, useTitle } from '../../router.js';
import { useResource } from '../../use-resource.js';
import { ActivityChart } from './activity-chart.js';
import { ActivityFigures } from './activity-figures.js';
import { ActivityTable } from './activity-table.js';
import { dayTotals } from './outcomes.js';
import './activity.css';

const DAY_CHOICES = ['7', '14', '30', '90'] as const;
const DEFAULT_DAYS = '14';

/** The page's choices, as the URL's query string holds them (reload, back and forward keep them). */
function choicesFrom(query: URLSearchParams): { days: string; agentId: string } {
  const days = query.get('days') ?? DEFAULT_DAYS;
  return {
    days: (DAY_CHOICES as readonly string[]).includes(days) ? days : DEFAULT_DAYS,
    agentId: query.get('agentId') ?? '',
  };
}

function urlOf(choices: { days: string; agentId: string }): string {
  const params = new URLSearchParams();
  if (choices.days !== DEFAULT_DAYS) params.set('days', choices.days);
  if (choices.agentId) params.set('agentId', choices.agentId);
  const text = params.toString();
  return text ? `/activity?${text}` : '/activity';
}

/**
 * `/activity`: requests per UTC day stacked by outcome, for every agent or one, with how long
 * decisions and codes take and how often requests expire or are denied.
 */
export function ActivityPage() {
  useTitle('Activity');
  const { query } = useLocation();
  const choices = choicesFrom(query);
  const tableId = useId();
  const [agents] = useResource(() => operations.listAgents(), []);
  const [activity, reload] = useResource(
    () => activityOperations.getOwnerActivity({ days: choices.days, agentId: choices.agentId || undefined }),
    [choices.days, choices.agentId],
  );
  const change = (patch: Partial<typeof choices>) => navigate(urlOf({ ...choices, ...patch }));
  const data = activity.data;
  const days = data ? dayTotals(data) : [];

  return (
    <>
      <h1>Activity</h1>
      <form className="filters" aria-label="Choose activity" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="activity-agent">Agent</label>
          <select
            id="activity-agent"
            value={choices.agentId}
            onChange={(e) => change({ agentId: e.target.value })}
          >
            <option value="">All agents</option>
            {agents.data?.agents.map((agent) => (
              <option key={agent.id} value={agent.id}>
                {agent.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="activity-days">Days</label>
          <select id="activity-days" value={choices.days} onChange={(e) => change({ days: e.target.value })}>
            {DAY_CHOICES.map((count) => (
              <option key={count} value={count}>
                Last {count} days
              </option>
            ))}
          </select>
        </div>
      </form>
      {activity.state === 'error' && <ErrorNotice message={activity.error} onRetry={reload} />}
      {activity.state === 'loading' && !data && <Loading what="activity" />}
      {data && (
        <div className="activity" aria-busy={activity.state === 'loading'}>
          <ActivityFigures summary={data.summary} />
          <h2>Requests per day</h2>
          {data.summary.requests === 0 ? (
            <Empty title="No requests in these days.">
              When your agents ask for codes or permissions, each day’s requests are counted here.
            </Empty>
          ) : (
            <>
              <ActivityChart days={days} tableId={tableId} />
              <ActivityTable days={days} id={tableId} />
            </>
          )}
          <p className="hint">
            Days are UTC. Approved includes requests whose code arrived or was read and permissions whose
            token was used. Time to decide leaves out decisions made by a policy or a test key.
          </p>
        </div>
      )}
    </>
  );
}
