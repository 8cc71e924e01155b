// The single table from event type code to decoder (index = type code). A new event type is one decoder
// file plus one row here. Codes without a row decode as { type: 'unknown', code, raw }.
import type { DecodeContext } from './context.js';
import type { Cursor } from './cursor.js';
import { EventType as T } from './constants.js';
import type { BinlogEvent, EventHeader } from './types.js';
import { decodeRotate } from './events/rotate.js';
import { decodeQuery, decodeExecuteLoadQuery } from './events/query.js';
import {
  decodeIgnorable,
  decodeIncident,
  decodeIntvar,
  decodeRand,
  decodeRowsQuery,
  decodeStop,
  decodeXid,
  decodeHeartbeat,
  decodeHeartbeatV2,
} from './events/misc.js';
import { decodeUserVar } from './events/user-var.js';
import { decodeTableMap } from './events/table-map.js';
import { decodeRowsEvent } from './events/rows.js';
import { decodeGtid, decodeGtidTagged } from './events/gtid.js';
import { decodePreviousGtids } from './events/previous-gtids.js';
import { decodeTransactionContext, decodeViewChange, decodeXaPrepare } from './events/group-replication.js';
import { decodeTransactionPayload } from './events/transaction-payload.js';
import {
  decodeAnnotateRows,
  decodeBinlogCheckpoint,
  decodeMariadbGtid,
  decodeMariadbGtidList,
  decodeStartEncryption,
} from './events/mariadb.js';
import { decodeAppendBlock, decodeDeleteFile, decodeExecLoad, decodeLoad } from './events/load.js';
import { decodeStartV3 } from './events/format-description.js';

export type EventDecoder = (cur: Cursor, ctx: DecodeContext, h: EventHeader) => BinlogEvent;

export interface RegistryEntry {
  /** the spec's snake_case type name */
  readonly name: string;
  readonly decode: EventDecoder;
}

export const EVENT_REGISTRY: (RegistryEntry | undefined)[] = new Array<RegistryEntry | undefined>(256);

function row(code: number, name: string, decode: EventDecoder): void {
  EVENT_REGISTRY[code] = { name, decode };
}

// FORMAT_DESCRIPTION_EVENT is decoded by the parser itself (it sets the checksum of its own event).
row(T.START_EVENT_V3, 'start_v3', decodeStartV3);
row(T.QUERY_EVENT, 'query', decodeQuery);
row(T.STOP_EVENT, 'stop', decodeStop);
row(T.ROTATE_EVENT, 'rotate', decodeRotate);
row(T.INTVAR_EVENT, 'intvar', decodeIntvar);
row(T.LOAD_EVENT, 'load', decodeLoad);
row(T.CREATE_FILE_EVENT, 'create_file', decodeLoad);
row(T.APPEND_BLOCK_EVENT, 'append_block', decodeAppendBlock);
row(T.EXEC_LOAD_EVENT, 'exec_load', decodeExecLoad);
row(T.DELETE_FILE_EVENT, 'delete_file', decodeDeleteFile);
row(T.NEW_LOAD_EVENT, 'new_load', decodeLoad);
row(T.RAND_EVENT, 'rand', decodeRand);
row(T.USER_VAR_EVENT, 'user_var', decodeUserVar);
row(T.XID_EVENT, 'xid', decodeXid);
row(T.BEGIN_LOAD_QUERY_EVENT, 'begin_load_query', decodeAppendBlock);
row(T.EXECUTE_LOAD_QUERY_EVENT, 'execute_load_query', decodeExecuteLoadQuery);
row(T.TABLE_MAP_EVENT, 'table_map', decodeTableMap);
row(T.PRE_GA_WRITE_ROWS_EVENT, 'write_rows', decodeRowsEvent);
row(T.PRE_GA_UPDATE_ROWS_EVENT, 'update_rows', decodeRowsEvent);
row(T.PRE_GA_DELETE_ROWS_EVENT, 'delete_rows', decodeRowsEvent);
row(T.WRITE_ROWS_EVENT_V1, 'write_rows', decodeRowsEvent);
row(T.UPDATE_ROWS_EVENT_V1, 'update_rows', decodeRowsEvent);
row(T.DELETE_ROWS_EVENT_V1, 'delete_rows', decodeRowsEvent);
row(T.INCIDENT_EVENT, 'incident', decodeIncident);
row(T.HEARTBEAT_LOG_EVENT, 'heartbeat', decodeHeartbeat);
row(T.IGNORABLE_LOG_EVENT, 'ignorable', decodeIgnorable);
row(T.ROWS_QUERY_LOG_EVENT, 'rows_query', decodeRowsQuery);
row(T.WRITE_ROWS_EVENT, 'write_rows', decodeRowsEvent);
row(T.UPDATE_ROWS_EVENT, 'update_rows', decodeRowsEvent);
row(T.DELETE_ROWS_EVENT, 'delete_rows', decodeRowsEvent);
row(T.GTID_LOG_EVENT, 'gtid', decodeGtid);
row(T.ANONYMOUS_GTID_LOG_EVENT, 'anonymous_gtid', decodeGtid);
row(T.PREVIOUS_GTIDS_LOG_EVENT, 'previous_gtids', decodePreviousGtids);
row(T.TRANSACTION_CONTEXT_EVENT, 'transaction_context', decodeTransactionContext);
row(T.VIEW_CHANGE_EVENT, 'view_change', decodeViewChange);
row(T.XA_PREPARE_LOG_EVENT, 'xa_prepare', decodeXaPrepare);
row(T.PARTIAL_UPDATE_ROWS_EVENT, 'partial_update_rows', decodeRowsEvent);
row(T.TRANSACTION_PAYLOAD_EVENT, 'transaction_payload', decodeTransactionPayload);
row(T.HEARTBEAT_LOG_EVENT_V2, 'heartbeat', decodeHeartbeatV2);
row(T.GTID_TAGGED_LOG_EVENT, 'gtid_tagged', decodeGtidTagged);
row(T.ANNOTATE_ROWS_EVENT, 'mariadb_annotate_rows', decodeAnnotateRows);
row(T.BINLOG_CHECKPOINT_EVENT, 'mariadb_binlog_checkpoint', decodeBinlogCheckpoint);
row(T.GTID_EVENT, 'mariadb_gtid', decodeMariadbGtid);
row(T.GTID_LIST_EVENT, 'mariadb_gtid_list', decodeMariadbGtidList);
row(T.START_ENCRYPTION_EVENT, 'mariadb_start_encryption', decodeStartEncryption);
row(T.QUERY_COMPRESSED_EVENT, 'query', decodeQuery);
row(T.WRITE_ROWS_COMPRESSED_EVENT_V1, 'write_rows', decodeRowsEvent);
row(T.UPDATE_ROWS_COMPRESSED_EVENT_V1, 'update_rows', decodeRowsEvent);
row(T.DELETE_ROWS_COMPRESSED_EVENT_V1, 'delete_rows', decodeRowsEvent);
row(T.WRITE_ROWS_COMPRESSED_EVENT, 'write_rows', decodeRowsEvent);
row(T.UPDATE_ROWS_COMPRESSED_EVENT, 'update_rows', decodeRowsEvent);
row(T.DELETE_ROWS_COMPRESSED_EVENT, 'delete_rows', decodeRowsEvent);

/** The spec name for an event type code ('unknown' when not in the table). */
export function eventTypeName(code: number): string {
  if (code === T.FORMAT_DESCRIPTION_EVENT) return 'format_description';
  return EVENT_REGISTRY[code]?.name ?? 'unknown';
}
