import type { RiskAssessment } from '@agent-otp/shared';

/**
 * A request's risk as one line of plain text, for the CLI and Telegram: the level, then every
 * reason in the owner's words. Null (a request from before risk was assessed) says so.
 *
 * @example
 * riskLine({ level: 'high', reasons: [{ rule: 'destructive-verb', level: 'high', text: 'deletes data: …' }] });
 * // 'risk: high (deletes data: …)'
 */
export function riskLine(risk: RiskAssessment | null): string {
  if (!risk) return 'risk: not assessed (created before risk assessment)';
  if (risk.reasons.length === 0) return `risk: ${risk.level}`;
  return `risk: ${risk.level} (${risk.reasons.map((reason) => reason.text).join('; ')})`;
}
