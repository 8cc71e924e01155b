// Where each event of a dump stream sits in the source's binlog files.
//
// The header's end_log_pos is not enough: the server sends artificial events that occupy no file space
// (the fake ROTATE that opens every dump, the FORMAT_DESCRIPTION re-sent with end_log_pos 0 when the dump
// starts past offset 4, heartbeats, MariaDB's fake GTID_LIST, and the START_ENCRYPTION a MariaDB dump of an
// encrypted file re-sends after it when it starts past offset 4), and MariaDB 11.4+ writes end_log_pos 0 for
// events inside a transaction (binlog_legacy_event_pos=OFF). So positions are carried forward from the
// last known absolute one: pos = previous next; next = end_log_pos when written, else pos + event length.

/** Event type codes this module needs (libs/mysql/binlog/event/binlog_event.h, MariaDB sql/log_event.h). */
const ROTATE_EVENT = 4;
const FORMAT_DESCRIPTION_EVENT = 15;
const HEARTBEAT_LOG_EVENT = 27;
const HEARTBEAT_LOG_EVENT_V2 = 41;
const MARIADB_GTID_LIST_EVENT = 163;
const MARIADB_START_ENCRYPTION_EVENT = 164;
/** LOG_EVENT_ARTIFICIAL_F: created by the server for the stream, not read from a file. */
export const LOG_EVENT_ARTIFICIAL_F = 0x20;

/**
 * Events that carry a transaction's data (statements, rows, table maps, GTIDs, XIDs…): a source never
 * sends one that is not in its file, so the artificial flag on one is damage, and ignoring the event
 * would drop data. MySQL and MariaDB codes (binlog_event.h, MariaDB log_event.h).
 */
const DATA_EVENTS = new Set([
  2, 5, 13, 14, 16, 19, 20, 21, 22, 23, 24, 25, 29, 30, 31, 32, 33, 34, 38, 39, 40, 42, 160, 162, 165, 166,
  167, 168, 169, 170, 171,
]);

/** True for events the source sends that are not in its binlog file (fake rotate, re-sent FDE and START_ENCRYPTION, heartbeat, fake GTID_LIST). */
export function isArtificial(typeCode: number, logPos: number, flags: number): boolean {
  return (
    ((flags & LOG_EVENT_ARTIFICIAL_F) !== 0 && !DATA_EVENTS.has(typeCode)) ||
    typeCode === HEARTBEAT_LOG_EVENT ||
    typeCode === HEARTBEAT_LOG_EVENT_V2 ||
    (logPos === 0 &&
      (typeCode === FORMAT_DESCRIPTION_EVENT ||
        typeCode === ROTATE_EVENT ||
        typeCode === MARIADB_GTID_LIST_EVENT ||
        typeCode === MARIADB_START_ENCRYPTION_EVENT))
  );
}

export interface EventPlacement {
  file: string;
  pos: number;
  next: number;
  /** True for events that exist only in the stream (fake rotate, re-sent FDE, heartbeat). */
  artificial: boolean;
}

export class PositionTracker {
  file: string;
  nextPos: number;
  /** Where the last placed event starts by the lengths of the events before it (its end_log_pos aside). */
  carried: number;

  constructor(file: string, pos: number) {
    this.file = file;
    this.nextPos = pos;
    this.carried = pos;
  }

  /** Places one event from its header fields. Call `rotate()` after decoding a ROTATE event. */
  place(typeCode: number, eventLength: number, logPos: number, flags: number): EventPlacement {
    const artificial = isArtificial(typeCode, logPos, flags);
    this.carried = this.nextPos;
    if (artificial) return { file: this.file, pos: this.nextPos, next: this.nextPos, artificial: true };
    let pos = this.nextPos;
    let next = pos + eventLength;
    // end_log_pos, when written, is the source's own word. It is 32 bits on the wire (it wraps in files
    // past 4 GiB, where the carried-forward position is used instead).
    if (logPos !== 0 && logPos !== next && logPos >= eventLength && next < 0x1_0000_0000) {
      next = logPos;
      pos = logPos - eventLength;
    }
    this.nextPos = next;
    return { file: this.file, pos, next, artificial: false };
  }

  /** A ROTATE (fake or real) names the file and offset the following events come from. */
  rotate(nextFile: string, position: number): void {
    this.file = nextFile;
    this.nextPos = position;
    this.carried = position;
  }
}
