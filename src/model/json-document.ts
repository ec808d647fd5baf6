import { findNodeAtLocation, getNodeValue, type Node, parseTree, type ParseError, printParseErrorCode } from 'jsonc-parser';
import type { Problem } from '../errors.ts';

/** A JSON file parsed with positions, so every problem can say file:line:column as well as its pointer. */
export interface JsonDocument {
  value: unknown;
  /** Syntax errors, each located; empty when the text is valid JSON. */
  syntaxProblems: Problem[];
  /** Adds `file:line:column` of the pointer's node (or its closest existing parent) to a problem. */
  locate(problem: Problem): Problem;
}

const WORDS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected a colon',
  CommaExpected: 'expected a comma',
  CloseBraceExpected: 'expected a closing brace }',
  CloseBracketExpected: 'expected a closing bracket ]',
  EndOfFileExpected: 'expected the end of the file',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'control character in a string',
};

export function parseJsonDocument(text: string, source: string): JsonDocument {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const where = (offset: number) => {
    let line = lineStarts.length - 1;
    while (lineStarts[line]! > offset) line--;
    return `${source}:${line + 1}:${offset - lineStarts[line]! + 1}`;
  };
  const syntaxProblems = errors.map((e) => ({
    pointer: '',
    location: where(e.offset),
    message: WORDS[printParseErrorCode(e.error)] ?? printParseErrorCode(e.error),
    hint: 'check for a missing comma, quote or bracket near there',
  }));
  return {
    value: tree && errors.length === 0 ? getNodeValue(tree) : undefined,
    syntaxProblems,
    locate(problem) {
      const node = tree && nodeAt(tree, problem.pointer);
      return node ? { ...problem, location: where(node.offset) } : problem;
    },
  };
}

/** The node a JSON pointer names, or the closest parent that exists (a missing key is reported there). */
function nodeAt(tree: Node, pointer: string): Node | undefined {
  const segments = pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  for (let n = segments.length; n >= 0; n--) {
    let node: Node | undefined = tree;
    for (const s of segments.slice(0, n)) {
      node = node && findNodeAtLocation(node, [node.type === 'array' ? Number(s) : s]);
    }
    if (node) return node.parent?.type === 'property' ? node.parent : node;
  }
  return undefined;
}
