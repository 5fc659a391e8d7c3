import {
  type CaptureSourceKind,
  CaptureSourceListShape,
  type JsonObject,
  JsonObjectShape,
  type RiskAssessment,
  RiskAssessmentShape,
} from '@agent-otp/shared/stored-values';
import type { OtpRequestRow, PermissionRequestRow } from '../schema.js';
import { parseJsonColumn } from './json-column.js';
import { senderSuffixOf } from './sender-suffix.js';

export type { RequestKind } from '@agent-otp/shared/stored-values';

/** An OTP request as the repositories hand it out: its `sources` and `risk` JSON columns parsed. */
export type OtpRequestRecord = Omit<OtpRequestRow, 'sources' | 'risk' | 'sender_suffix'> & {
  sources: CaptureSourceKind[];
  /** Assessed at creation (issue 15); null on rows written before risk was assessed. */
  risk: RiskAssessment | null;
};

/** A permission request as the repositories hand it out: its scope and context JSON columns parsed. */
export type PermissionRequestRecord = Omit<
  PermissionRequestRow,
  'requested_scope' | 'granted_scope' | 'context' | 'risk'
> & {
  requested_scope: JsonObject;
  /** The scope approval grants; null only on rows written before it was set at creation. */
  granted_scope: JsonObject | null;
  context: JsonObject;
  /** Assessed at creation (issue 15); null on rows written before risk was assessed. */
  risk: RiskAssessment | null;
};

/** The tables that hold requests an agent makes and its owner decides on, and their records. */
export interface RequestRecords {
  otp_requests: OtpRequestRecord;
  permission_requests: PermissionRequestRecord;
}
export type RequestTable = keyof RequestRecords;

/** The columns of each request table that hold JSON text; nothing outside this file sees the text. */
export type RequestJsonColumn<T extends RequestTable> = T extends 'otp_requests'
  ? 'sources' | 'risk'
  : 'requested_scope' | 'granted_scope' | 'context' | 'risk';

/** The stored assessment, or null on rows from before it was made. */
function parseRisk(table: RequestTable, id: string, text: string | null): RiskAssessment | null {
  return text === null ? null : parseJsonColumn(RiskAssessmentShape, { table, id, column: 'risk' }, text);
}

function toOtpRecord(row: OtpRequestRow): OtpRequestRecord {
  const where = { table: 'otp_requests', id: row.id, column: 'sources' };
  // Derived from sender_pattern for capture's SQL pre-filter; nothing above the query reads it.
  const { sender_suffix: _senderSuffix, ...columns } = row;
  return {
    ...columns,
    sources: parseJsonColumn(CaptureSourceListShape, where, row.sources),
    risk: parseRisk('otp_requests', row.id, row.risk),
  };
}

function toPermissionRecord(row: PermissionRequestRow): PermissionRequestRecord {
  const parse = (column: RequestJsonColumn<'permission_requests'>, text: string) =>
    parseJsonColumn(JsonObjectShape, { table: 'permission_requests', id: row.id, column }, text);
  return {
    ...row,
    requested_scope: parse('requested_scope', row.requested_scope),
    granted_scope: row.granted_scope === null ? null : parse('granted_scope', row.granted_scope),
    context: parse('context', row.context),
    risk: parseRisk('permission_requests', row.id, row.risk),
  };
}

/** The stored row of each request table, as the driver returns it. */
export interface StoredRequestRows {
  otp_requests: OtpRequestRow;
  permission_requests: PermissionRequestRow;
}

const TO_RECORD: { [T in RequestTable]: (row: StoredRequestRows[T]) => RequestRecords[T] } = {
  otp_requests: toOtpRecord,
  permission_requests: toPermissionRecord,
};

const TO_ROW: { [T in RequestTable]: (record: RequestRecords[T]) => StoredRequestRows[T] } = {
  // JSON.stringify, as rows have always been written: capture's SQL pre-filter looks for `"sms"`.
  otp_requests: (record) => ({
    ...record,
    sender_suffix: senderSuffixOf(record.sender_pattern),
    sources: JSON.stringify(record.sources),
    risk: record.risk === null ? null : JSON.stringify(record.risk),
  }),
  permission_requests: (record) => ({
    ...record,
    requested_scope: JSON.stringify(record.requested_scope),
    granted_scope: record.granted_scope === null ? null : JSON.stringify(record.granted_scope),
    context: JSON.stringify(record.context),
    risk: record.risk === null ? null : JSON.stringify(record.risk),
  }),
};

/**
 * A stored request row as a record, its JSON columns parsed and validated.
 *
 * @example
 * const record = toRequestRecord('otp_requests', row); // record.sources: ['sms', 'email']
 */
export function toRequestRecord<T extends RequestTable>(
  table: T,
  row: StoredRequestRows[T],
): RequestRecords[T] {
  return (TO_RECORD[table] as (row: StoredRequestRows[T]) => RequestRecords[T])(row);
}

/**
 * A record as the row to store, its JSON columns serialised.
 *
 * @example
 * await tx.insertInto('otp_requests').values(toRequestRow('otp_requests', record)).execute();
 */
export function toRequestRow<T extends RequestTable>(
  table: T,
  record: RequestRecords[T],
): StoredRequestRows[T] {
  return (TO_ROW[table] as (record: RequestRecords[T]) => StoredRequestRows[T])(record);
}
