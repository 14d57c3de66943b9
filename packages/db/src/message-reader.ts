/** Bodies larger than this are skipped, never buffered: only short messages (ReadyForQuery, ErrorResponse) are read. */
const MAX_CAPTURED_BODY = 16 * 1024;

/**
 * An incremental framer for the PostgreSQL wire protocol (type byte, int32
 * length, body). It copies only the bodies `capture` asks for and skips the
 * rest arithmetically, so watching a connection costs a few comparisons per
 * message, not a copy of every row. The first frontend message (startup or
 * cancel request) has no type byte: `untypedFirst` reports it as type 0.
 */
export class MessageReader {
  private readonly header = Buffer.alloc(5);
  private headerSize: number;
  private headerFill = 0;
  private type = 0;
  /** -1 while reading a header. */
  private bodyRemaining = -1;
  private body: Buffer | undefined;
  private bodyFill = 0;
  /** Set on a frame that cannot be valid; the reader stops rather than guess. */
  broken = false;

  constructor(
    private readonly capture: (type: number) => boolean,
    private readonly onMessage: (type: number, body: Buffer | undefined) => void,
    untypedFirst = false,
  ) {
    this.headerSize = untypedFirst ? 4 : 5;
  }

  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length && !this.broken) {
      if (this.bodyRemaining < 0) {
        const take = Math.min(this.headerSize - this.headerFill, chunk.length - offset);
        chunk.copy(this.header, this.headerFill, offset, offset + take);
        this.headerFill += take;
        offset += take;
        if (this.headerFill < this.headerSize) return;
        const typed = this.headerSize === 5;
        this.type = typed ? (this.header[0] ?? 0) : 0;
        const length = this.header.readUInt32BE(typed ? 1 : 0);
        if (length < 4) {
          this.broken = true;
          return;
        }
        this.bodyRemaining = length - 4;
        this.body = this.bodyRemaining <= MAX_CAPTURED_BODY && this.capture(this.type) ? Buffer.alloc(this.bodyRemaining) : undefined;
        this.bodyFill = 0;
        this.headerFill = 0;
        this.headerSize = 5;
      }
      const take = Math.min(this.bodyRemaining, chunk.length - offset);
      this.body?.set(chunk.subarray(offset, offset + take), this.bodyFill);
      this.bodyFill += take;
      this.bodyRemaining -= take;
      offset += take;
      if (this.bodyRemaining === 0) {
        this.bodyRemaining = -1;
        const body = this.body;
        this.body = undefined;
        this.onMessage(this.type, body);
      }
    }
  }
}
