import { useEffect, useState } from 'react';
import { exactTime, formatRelative } from '../format.js';

/** "2 min ago", kept current (every 30 s); the exact local and UTC time on hover. */
export function RelativeTime({ iso }: { iso: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 30_000);
    return () => window.clearInterval(timer);
  }, []);
  return (
    <time dateTime={iso} title={exactTime(iso)}>
      {formatRelative(iso, now)}
    </time>
  );
}
