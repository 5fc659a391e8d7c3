import { type DayTotals, formatDay, OUTCOMES } from './outcomes.js';

/** The chart's numbers as a table: one row per UTC day, one column per outcome. */
export function ActivityTable({ days, id }: { days: readonly DayTotals[]; id: string }) {
  return (
    <div className="table-wrap activity-table-wrap">
      <table className="activity-table" id={id}>
        <caption>Requests per day (UTC) by outcome</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            {OUTCOMES.map(({ outcome, label }) => (
              <th scope="col" key={outcome}>
                {label}
              </th>
            ))}
            <th scope="col">Total</th>
          </tr>
        </thead>
        <tbody>
          {days.map((day) => (
            <tr key={day.date}>
              <th scope="row">
                <time dateTime={day.date}>{formatDay(day.date)}</time>
              </th>
              {OUTCOMES.map(({ outcome }) => (
                <td key={outcome}>{day.outcomes[outcome]}</td>
              ))}
              <td>{day.total}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
