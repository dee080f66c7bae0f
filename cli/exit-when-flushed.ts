/**
 * Exits once standard output and error have handed everything to the OS. Writes to a pipe or a
 * socket are asynchronous: process.exit() alone drops what the reader has not taken yet, which
 * cut `portwatch results --format csv` short when its reader was slow.
 */
export function exitWhenFlushed(code: number): void {
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write("", done);
  process.stderr.write("", done);
}
