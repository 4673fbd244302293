/**
 * An append-only journal of JSON lines, as the local bus and the local SQS keep one so that what they
 * accepted survives a crash of the cloud (infra/local/bus.ts, sqs.ts). Each line is written with
 * writeSync before the caller answers; `read` skips a line the crash cut short; `replace` rewrites the
 * file atomically (a temporary file renamed over it) and reopens it; `empty` truncates it once it holds
 * nothing to recover (the lines carry addresses, which must not pile up on disk).
 */
import { closeSync, existsSync, ftruncateSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';

export class Journal<L> {
  private fd: number | undefined;
  /** Lines written since it was last emptied or replaced. */
  lines = 0;

  constructor(readonly file: string) {}

  /** Every whole line of the file as it is (none if there is no file). */
  read(): L[] {
    if (!existsSync(this.file)) return [];
    const out: L[] = [];
    for (const raw of readFileSync(this.file, 'utf8').split('\n')) {
      if (!raw.trim()) continue;
      try {
        out.push(JSON.parse(raw) as L);
      } catch {
        // a line cut short by the crash: its request was never answered
      }
    }
    return out;
  }

  /** Replaces the file with `lines` and keeps it open for appending. */
  replace(lines: L[]): void {
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    renameSync(tmp, this.file);
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = openSync(this.file, 'a');
    this.lines = lines.length;
  }

  /** Appends one line (nothing before the journal is opened by `replace`). */
  append(line: L): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, `${JSON.stringify(line)}\n`);
    this.lines++;
  }

  /** Nothing left to recover: the file is emptied. */
  empty(): void {
    if (this.fd === undefined || this.lines === 0) return;
    ftruncateSync(this.fd, 0);
    this.lines = 0;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
