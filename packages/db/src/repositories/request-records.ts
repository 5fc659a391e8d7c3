import { type CaptureSourceKind, CaptureSourceList, JsonObject } from '@agent-otp/shared';
import type { OtpRequestRow, PermissionRequestRow } from '../schema.js';
import { parseJsonColumn } from './json-column.js';

export type { RequestKind } from '@agent-otp/shared';

/** An OTP request as the repositories hand it out: its `sources` JSON column parsed. */
export type OtpRequestRecord = Omit<OtpRequestRow, 'sources'> & { sources: CaptureSourceKind[] };

/** A permission request as the repositories hand it out: its scope and context JSON columns parsed. */
export type PermissionRequestRecord = Omit<
  PermissionRequestRow,
  'requested_scope' | 'granted_scope' | 'context'
> & {
  requested_scope: JsonObject;
  /** The scope approval grants; null only on rows written before it was set at creation. */
  granted_scope: JsonObject | null;
  context: JsonObject;
};

/** The tables that hold requests an agent makes and its owner decides on, and their records. */
export interface RequestRecords {
  otp_requests: OtpRequestRecord;
  permission_requests: PermissionRequestRecord;
}
export type RequestTable = keyof RequestRecords;

/** The columns of each request table that hold JSON text; nothing outside this file sees the text. */
export type RequestJsonColumn<T extends RequestTable> = T extends 'otp_requests'
  ? 'sources'
  : 'requested_scope' | 'granted_scope' | 'context';

function toOtpRecord(row: OtpRequestRow): OtpRequestRecord {
  const where = { table: 'otp_requests', id: row.id, column: 'sources' };
  return { ...row, sources: parseJsonColumn(CaptureSourceList, where, row.sources) };
}

function toPermissionRecord(row: PermissionRequestRow): PermissionRequestRecord {
  const parse = (column: RequestJsonColumn<'permission_requests'>, text: string) =>
    parseJsonColumn(JsonObject, { table: 'permission_requests', id: row.id, column }, text);
  return {
    ...row,
    requested_scope: parse('requested_scope', row.requested_scope),
    granted_scope: row.granted_scope === null ? null : parse('granted_scope', row.granted_scope),
    context: parse('context', row.context),
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
  otp_requests: (record) => ({ ...record, sources: JSON.stringify(record.sources) }),
  permission_requests: (record) => ({
    ...record,
    requested_scope: JSON.stringify(record.requested_scope),
    granted_scope: record.granted_scope === null ? null : JSON.stringify(record.granted_scope),
    context: JSON.stringify(record.context),
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
