import { useEffect, useState } from 'react';
import { exactTime, formatTimeLeft } from '../format.js';

/**
 * Time left until `deadline` in words ("expires in 4 min", to the second in the last two
 * minutes), ticking every second; the exact time on hover; turns urgent in the last minute.
 */
export function Countdown({ deadline }: { deadline: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  const remaining = Date.parse(deadline) - now;
  const urgent = remaining < 60_000;
  return (
    <time
      dateTime={deadline}
      title={`Expires ${exactTime(deadline)}`}
      className={urgent ? 'countdown urgent' : 'countdown'}
    >
      {remaining > 0 ? `expires in ${formatTimeLeft(remaining)}` : 'expired'}
    </time>
  );
}
