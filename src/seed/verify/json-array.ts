/** What is wrong with a JSON array of rows, and the line of the file it is on. */
export class JsonArrayError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly check: 'json syntax' | 'json shape' = 'json syntax',
  ) {
    super(message);
  }
}

const enum State {
  Before,
  Between,
  Element,
  Done,
}

/** The next quote or backslash: where a string's plain run ends. */
const STRING_END = /["\\]/g;

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * Splits a JSON array that arrives in chunks into the source text of each element, so a file of any
 * size is parsed one element at a time by JSON.parse (which judges each element). Only the array's
 * own punctuation, strings and nesting are tracked here.
 */
export class JsonArraySplitter {
  private state = State.Before;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** After a comma an element must follow. */
  private expectElement = false;
  /** The current element's text from earlier chunks. */
  private pending = '';
  private line = 1;
  private elementLine = 1;

  /** Calls `emit` with each element completed in `chunk` and the line it starts on. */
  push(chunk: string, emit: (text: string, line: number) => void): void {
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 0x0a) this.line++;
      switch (this.state) {
        case State.Before:
          if (c === 0x5b /* [ */) this.state = State.Between;
          else if (!isSpace(c)) throw new JsonArrayError('expected a JSON array of rows ("[")', this.line);
          break;
        case State.Between:
          if (isSpace(c)) break;
          if (c === 0x5d /* ] */ && !this.expectElement) {
            this.state = State.Done;
            break;
          }
          if (c === 0x5d || c === 0x2c /* , */) throw new JsonArrayError(`unexpected "${chunk[i]}": expected a value`, this.line);
          this.state = State.Element;
          this.depth = 0;
          this.elementLine = this.line;
          start = i;
          i--; // the element's first character (never a newline) is scanned as part of it
          break;
        case State.Element:
          if (this.inString) {
            if (this.escaped) this.escaped = false;
            else if (c === 0x5c /* \ */) this.escaped = true;
            else if (c === 0x22 /* " */) this.inString = false;
            else {
              // most of a row's text is inside strings: jump to the next quote or backslash (a raw line
              // break there is invalid JSON, which JSON.parse reports; only its line count would be off)
              STRING_END.lastIndex = i;
              i = STRING_END.test(chunk) ? STRING_END.lastIndex - 2 : chunk.length - 1;
            }
          } else if (c === 0x22) this.inString = true;
          else if (c === 0x7b /* { */ || c === 0x5b) this.depth++;
          else if ((c === 0x7d /* } */ || c === 0x5d) && this.depth > 0) this.depth--;
          else if (this.depth === 0 && (c === 0x2c || c === 0x5d)) {
            emit(this.pending + chunk.slice(start, i), this.elementLine);
            this.pending = '';
            this.state = c === 0x2c ? State.Between : State.Done;
            this.expectElement = c === 0x2c;
          }
          break;
        case State.Done:
          if (!isSpace(c)) throw new JsonArrayError('unexpected text after the end of the array', this.line);
      }
    }
    if (this.state === State.Element) this.pending += chunk.slice(start);
  }

  /** Throws unless the array was closed. */
  end(): void {
    if (this.state !== State.Done) throw new JsonArrayError('unexpected end of file: the array is not closed', this.line);
  }
}
