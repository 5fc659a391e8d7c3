import { useEffect, useState } from 'react';
import { formatRemaining } from '../format.js';

/** Time left until `deadline`, ticking every second; turns urgent in the last minute. */
export function Countdown({ deadline }: { deadline: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  const remaining = Date.parse(deadline) - now;
  const urgent = remaining < 60_000;
  return (
    <time dateTime={deadline} className={urgent ? 'countdown urgent' : 'countdown'}>
      {remaining > 0 ? `expires in ${formatRemaining(remaining)}` : 'expired'}
    </time>
  );
}
