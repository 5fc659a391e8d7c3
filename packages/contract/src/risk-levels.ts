// Apart from schemas/risk.ts, which builds zod schemas, so the stored-values entry can check a
// stored risk assessment without loading zod (see shapes/stored-shapes.ts).

/** How much harm approving a request could do, as the owner sees it before deciding (issue 15). */
export const RISK_LEVELS = ['low', 'elevated', 'high'] as const;
