/** What is wrong with a CSV file, and the line of the file it is on. */
export class CsvRecordError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/**
 * RFC 4180 records from text that arrives in chunks, as ecom writes them: fields separated by commas,
 * records by CRLF (or LF), `""` inside quotes for a quote; an unquoted empty field is NULL, a quoted
 * one the empty string. It reads what parseCsv (csv-parse, with a cast) reads, record for record —
 * but csv-parse builds a context object per field to tell quoted from unquoted, which makes it ten
 * times slower than this on the report's files (measured), so the streamed path has its own reader.
 */
export class CsvRecordSplitter {
  private record: (string | null)[] = [];
  private field = '';
  /** The current field started with a quote... */
  private quoted = false;
  /** ...and its closing quote has not been seen (a quote just seen may yet be the first of `""`). */
  private inQuotes = false;
  private quoteSeen = false;
  /** A CR outside quotes, which must be followed by LF. */
  private cr = false;
  private line = 1;
  private recordLine = 1;
  /** Any character of the current record seen (a blank line is a record of one NULL field, as csv-parse reads it). */
  private started = false;

  push(chunk: string, emit: (record: (string | null)[], line: number) => void): void {
    let start = 0; // where the unsaved part of the current field begins in `chunk`
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (this.cr) {
        this.cr = false;
        if (c !== LF) throw new CsvRecordError('a carriage return not followed by a line feed', this.line);
        this.endRecord(emit);
        start = i + 1;
        continue;
      }
      if (this.inQuotes) {
        if (!this.quoteSeen) {
          if (c === QUOTE) {
            this.field += chunk.slice(start, i);
            this.quoteSeen = true;
          } else if (c === LF) this.line++;
          continue;
        }
        this.quoteSeen = false;
        if (c === QUOTE) {
          start = i; // `""`: the second quote is text
          continue;
        }
        this.inQuotes = false; // the quote closed the field: `c` follows it
      }
      this.started = true;
      if (c === COMMA || c === LF || c === CR) {
        this.endField(chunk, start, i);
        start = i + 1;
        if (c === CR) this.cr = true;
        else if (c === LF) this.endRecord(emit);
      } else if (this.quoted) {
        throw new CsvRecordError(`unexpected ${c === QUOTE ? 'quote' : `"${chunk[i]}"`} after a closing quote`, this.line);
      } else if (c === QUOTE) {
        if (i > start || this.field !== '') throw new CsvRecordError('a quote inside an unquoted field', this.line);
        this.quoted = this.inQuotes = true;
        start = i + 1;
      }
    }
    // keep the unsaved part of an unquoted field, or of a quoted one still open
    if (!this.quoted || (this.inQuotes && !this.quoteSeen)) this.field += chunk.slice(start);
  }

  /** The last record when the file does not end with a line break; throws on an open quote. */
  end(emit: (record: (string | null)[], line: number) => void): void {
    if (this.inQuotes && !this.quoteSeen) throw new CsvRecordError('a quote is not closed', this.recordLine);
    this.inQuotes = false;
    this.quoteSeen = false;
    if (this.cr) throw new CsvRecordError('a carriage return not followed by a line feed', this.line);
    if (this.started || this.record.length > 0) {
      this.endField('', 0, 0);
      this.endRecord(emit);
    }
  }

  private endField(chunk: string, start: number, end: number) {
    const text = this.quoted ? this.field : this.field + chunk.slice(start, end);
    this.record.push(this.quoted || text !== '' ? text : null);
    this.field = '';
    this.quoted = false;
  }

  private endRecord(emit: (record: (string | null)[], line: number) => void) {
    emit(this.record, this.recordLine);
    this.record = [];
    this.started = false;
    this.line++;
    this.recordLine = this.line;
  }
}
