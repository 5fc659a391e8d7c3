import type { RiskAssessment, RiskLevel } from '@agent-otp/shared';

/** Icon and word together: the level never rests on colour alone. */
const LABELS: Record<RiskLevel, string> = { high: 'High risk', elevated: 'Elevated risk', low: 'Low risk' };

/**
 * Drawn, not a font glyph: emoji and dingbats are missing from many systems' fonts (a box
 * where the icon should be). Octagon for high (stop), triangle for elevated (caution), a tick for low.
 */
function RiskIcon(props: { level: RiskLevel }) {
  const shape =
    props.level === 'high' ? (
      <>
        <path d="M5 1h6l4 4v6l-4 4H5l-4-4V5z" fill="currentColor" />
        <path d="M8 4v5M8 11.5v.5" stroke="var(--deny)" strokeWidth="2" strokeLinecap="round" />
      </>
    ) : props.level === 'elevated' ? (
      <>
        <path
          d="M8 1.5 15 14H1z"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.6"
          strokeLinejoin="round"
        />
        <path d="M8 6v3.5M8 11.8v.2" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
      </>
    ) : (
      <path d="m3 8.5 3 3 7-7" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
    );
  return (
    <svg
      className="risk-icon"
      viewBox="0 0 16 16"
      width="14"
      height="14"
      aria-hidden="true"
      focusable="false"
    >
      {shape}
    </svg>
  );
}

/**
 * A request's risk as the owner sees it before deciding: a badge with an icon and the level
 * in words, and every reason in plain language (high risk styled as destructive, elevated
 * as a warning). Requests from before risk was assessed show nothing.
 *
 * @example
 * <RiskSummary risk={subject.risk} />
 */
export function RiskSummary(props: { risk: RiskAssessment | null }) {
  const { risk } = props;
  if (!risk) return null;
  const label = LABELS[risk.level];
  return (
    <div className={`risk-summary risk-${risk.level}`}>
      <span className={`badge risk-badge risk-${risk.level}`}>
        <RiskIcon level={risk.level} /> {label}
      </span>
      {risk.reasons.length > 0 && (
        <ul className="risk-reasons" aria-label={`Why: ${label.toLowerCase()}`}>
          {risk.reasons.map((reason) => (
            <li key={`${reason.rule}:${reason.text}`}>{reason.text}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
