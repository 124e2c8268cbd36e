import { writeFileSync } from 'node:fs';
import path from 'node:path';

/** The same stepping program in JavaScript and Python, written to a directory, with its text for HTTP sessions. */
export interface SteppingPrograms {
  directory: string;
  javascript: { file: string; name: string; content: string };
  python: { file: string; name: string; content: string };
  /** Statements in the loop body: a step over each one is one straight-line step. */
  bodyLines: number;
}

/** Rounds of the loop: far more steps than any run takes, so stepping never reaches the program's end. */
const rounds = 1_000_000;

/**
 * Writes `main.js` and `main.py` to `directory`: two assignments on lines 1 and 2 (line 2 is where the
 * create-to-first-stop breakpoint goes), then a loop whose body is `bodyLines` straight-line assignments.
 *
 * @example
 * const programs = writeSteppingPrograms('/tmp/plumb-bench-debugger-x', 200);
 * programs.javascript.file; // '/tmp/plumb-bench-debugger-x/main.js'
 */
export function writeSteppingPrograms(directory: string, bodyLines = 200): SteppingPrograms {
  const javascriptLines = [
    'let total = 0;',
    'let scratch = 1;',
    `for (let round = 0; round < ${rounds}; round += 1) {`,
  ];
  const pythonLines = ['total = 0', 'scratch = 1', `for round_number in range(${rounds}):`];
  for (let line = 0; line < bodyLines; line += 1) {
    // Alternate two shapes so consecutive lines are not identical (a debugger must stop on each).
    if (line % 2 === 0) {
      javascriptLines.push(`  total = total + ${line + 1};`);
      pythonLines.push(`    total = total + ${line + 1}`);
    } else {
      javascriptLines.push(`  scratch = (scratch * 31 + total) % 1000003;`);
      pythonLines.push(`    scratch = (scratch * 31 + total) % 1000003`);
    }
  }
  javascriptLines.push('}', 'console.log(total, scratch);', '');
  pythonLines.push('print(total, scratch)', '');
  const javascript = { name: 'main.js', content: javascriptLines.join('\n') };
  const python = { name: 'main.py', content: pythonLines.join('\n') };
  const javascriptFile = path.join(directory, javascript.name);
  const pythonFile = path.join(directory, python.name);
  writeFileSync(javascriptFile, javascript.content);
  writeFileSync(pythonFile, python.content);
  return {
    directory,
    javascript: { ...javascript, file: javascriptFile },
    python: { ...python, file: pythonFile },
    bodyLines,
  };
}
