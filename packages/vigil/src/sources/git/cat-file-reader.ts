import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { gitEnv } from "./git-env.js";
import { lastErrorLine } from "./run-git.js";

export interface CatFileReaderOptions {
  /** Where git runs: a work tree, a bare repository or a git dir. */
  cwd: string;
  /** Base environment for git (pass `process.env` from the entry point); see `gitEnv`. */
  env: NodeJS.ProcessEnv;
  /**
   * Objects larger than this are read and discarded, never buffered: their `content` is null and
   * their outcome `too-large`. Default: no limit.
   */
  maxSize?: number;
  /** Bytes of objects `readAll` may hold ahead of its consumer before git's output is paused. Default 32 MiB. */
  readAheadBytes?: number;
  /** The git binary. Default `git`. */
  git?: string;
}

/** `found`: content read; `missing`: not in the object database (partial or shallow clone, or never existed); `too-large`: over `maxSize`, content discarded; `unreadable`: git failed on it (corrupt object). */
export type CatFileOutcome = "found" | "missing" | "too-large" | "unreadable";

export interface CatFileObject {
  /** The name asked for (an object id, or any name git resolves, such as `HEAD:path`). */
  name: string;
  /** The object id git resolved the name to; empty when not found. */
  oid: string;
  /** `blob`, `tree`, `commit` or `tag`; empty when not found. */
  type: string;
  size: number;
  /** The object's bytes when `outcome` is `found`, else null. */
  content: Buffer | null;
  outcome: CatFileOutcome;
  /** git's reason when the object could not be read (names objects, never content). */
  reason?: string;
}

export interface ReadAllOptions {
  /** Names sent to git ahead of the answers. Default 1024. */
  window?: number;
  signal?: AbortSignal;
}

/**
 * A long-lived `git cat-file --batch` client. One git process serves any number of reads, in order;
 * if git dies on an object (a corrupt object, a missing object in a partial clone with lazy fetch
 * disabled, which older git treats as fatal), that object is answered `unreadable` or `missing` and
 * a new process takes the remaining names, so one bad object never fails a scan.
 */
export interface CatFileReader {
  /** The object's content, or null when it is missing, unreadable or over `maxSize`. */
  read(name: string): Promise<Buffer | null>;
  /** The object with its type, size and outcome. */
  readObject(name: string): Promise<CatFileObject>;
  /**
   * Reads many objects, streaming: names are pulled from `names` (which may be produced while
   * reading), answers come in the same order. Memory is bounded by `readAheadBytes` plus one object.
   */
  readAll(names: Iterable<string> | AsyncIterable<string>, options?: ReadAllOptions): AsyncGenerator<CatFileObject>;
  /** Times git was restarted after dying on an object. */
  readonly restarts: number;
  /** Ends the git process; pending reads are answered `unreadable`. Idempotent. */
  close(): Promise<void>;
}

export function createCatFileReader(options: CatFileReaderOptions): CatFileReader {
  return new BatchReader(options);
}

interface Request {
  name: string;
  done: (object: CatFileObject) => void;
  /** Counted against `readAheadBytes` once answered (readAll). */
  held: boolean;
}

type GitProcess = ChildProcessByStdio<Writable, Readable, Readable>;

/** After this many git processes in a row died without answering anything, the rest are failed at once. */
const MAX_BARREN_RESTARTS = 50;
const LF = 0x0a;

class BatchReader implements CatFileReader {
  restarts = 0;
  private readonly maxSize: number;
  private readonly readAhead: number;
  private readonly env: NodeJS.ProcessEnv;
  private child: GitProcess | undefined;
  private readonly pending: Request[] = [];
  /** Index of the first unanswered request in `pending` (the array is compacted now and then). */
  private head = 0;
  private closed = false;
  private answeredByChild = 0;
  private barrenRestarts = 0;
  private stderrTail = "";
  private heldBytes = 0;
  private paused = false;
  /** Streams waiting for memory to be released. */
  private exitWaiters: Array<() => void> = [];

  // Parser state.
  private headerParts: Buffer[] = [];
  private body: { oid: string; type: string; size: number; content: Buffer | null; filled: number; remaining: number } | undefined;

  constructor(private readonly options: CatFileReaderOptions) {
    this.maxSize = options.maxSize ?? Number.POSITIVE_INFINITY;
    this.readAhead = options.readAheadBytes ?? 32 * 1024 * 1024;
    this.env = gitEnv(options.env);
  }

  read(name: string): Promise<Buffer | null> {
    return this.readObject(name).then((object) => object.content);
  }

  readObject(name: string): Promise<CatFileObject> {
    return new Promise((resolve) => this.enqueue(name, resolve, false));
  }

  async *readAll(names: Iterable<string> | AsyncIterable<string>, options: ReadAllOptions = {}): AsyncGenerator<CatFileObject> {
    const window = Math.max(1, options.window ?? 1024);
    const iterator = Symbol.asyncIterator in names ? names[Symbol.asyncIterator]() : toAsync(names[Symbol.iterator]());
    const results: CatFileObject[] = [];
    let first = 0;
    let inFlight = 0;
    let sourceDone = false;
    let pulling = false;
    let failure: unknown;
    let finished = false;
    let wake: (() => void) | undefined;
    const notify = (): void => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    const pump = async (): Promise<void> => {
      if (pulling) return;
      pulling = true;
      try {
        while (!sourceDone && inFlight < window && !options.signal?.aborted && !this.closed) {
          const next = await iterator.next();
          if (next.done) {
            sourceDone = true;
            break;
          }
          inFlight++;
          this.enqueue(
            next.value,
            (object) => {
              inFlight--;
              if (finished) {
                this.release(object);
                return;
              }
              results.push(object);
              notify();
              void pump();
            },
            true,
          );
        }
      } catch (error) {
        failure = error;
        sourceDone = true;
      } finally {
        pulling = false;
        notify();
      }
    };
    options.signal?.addEventListener("abort", notify, { once: true });
    void pump();
    try {
      for (;;) {
        if (first < results.length) {
          const object = results[first]!;
          results[first++] = undefined as unknown as CatFileObject;
          if (first > 1024 && first * 2 > results.length) {
            results.splice(0, first);
            first = 0;
          }
          this.release(object);
          yield object;
          continue;
        }
        if (failure !== undefined) throw failure instanceof Error ? failure : new Error("the source of object names failed");
        if (options.signal?.aborted) return;
        if ((sourceDone || this.closed) && inFlight === 0 && !pulling) return;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    } finally {
      // Answers not consumed (and those still to come) give their memory back.
      finished = true;
      options.signal?.removeEventListener("abort", notify);
      for (let i = first; i < results.length; i++) this.release(results[i]!);
      if (!sourceDone) void iterator.return?.();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const child = this.child;
    this.child = undefined;
    this.failPending("reader closed");
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => this.exitWaiters.push(resolve));
      child.stdin.end();
      child.kill();
      await exited;
    }
  }

  private enqueue(name: string, done: (object: CatFileObject) => void, held: boolean): void {
    if (this.closed) {
      done(failed(name, "unreadable", "reader closed"));
      return;
    }
    if (name.length === 0 || name.includes("\n") || name.includes("\r")) {
      done(failed(name, "missing", "not an object name"));
      return;
    }
    this.pending.push({ name, done, held });
    const child = this.child ?? this.spawn();
    child.stdin.write(name + "\n");
  }

  private spawn(): GitProcess {
    const child = spawn(this.options.git ?? "git", ["cat-file", "--batch"], {
      cwd: this.options.cwd,
      env: this.env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child = child;
    this.answeredByChild = 0;
    this.stderrTail = "";
    this.headerParts = [];
    this.body = undefined;
    this.paused = false;
    child.stdout.on("data", (chunk: Buffer) => {
      if (this.child === child) this.parse(chunk);
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (text: string) => {
      if (this.child === child) this.stderrTail = (this.stderrTail + text).slice(-2048);
    });
    // A write to a dead process fails with EPIPE; the close handler answers the requests.
    child.stdin.on("error", () => {});
    child.on("error", (error) => {
      if (this.child !== child) return;
      this.child = undefined;
      this.failPending(`cannot run git: ${(error as NodeJS.ErrnoException).code ?? error.message}`);
    });
    child.on("close", () => {
      const waiters = this.exitWaiters;
      this.exitWaiters = [];
      for (const resolve of waiters) resolve();
      if (this.child !== child) return;
      this.child = undefined;
      this.onDeath();
    });
    return child;
  }

  /** git died with requests unanswered: the first one is what it died on. */
  private onDeath(): void {
    if (this.head >= this.pending.length) return;
    const reason = lastErrorLine(this.stderrTail) || "git cat-file exited";
    const outcome: CatFileOutcome = /could not fetch|missing|not our ref|promisor/i.test(reason) ? "missing" : "unreadable";
    this.barrenRestarts = this.answeredByChild === 0 ? this.barrenRestarts + 1 : 0;
    this.answer(failed(this.pending[this.head]!.name, outcome, reason));
    if (this.barrenRestarts >= MAX_BARREN_RESTARTS) {
      this.failPending(reason);
      this.barrenRestarts = 0;
      return;
    }
    if (this.head >= this.pending.length || this.closed) return;
    this.restarts++;
    const child = this.spawn();
    const names: string[] = [];
    for (let i = this.head; i < this.pending.length; i++) names.push(this.pending[i]!.name);
    child.stdin.write(names.join("\n") + "\n");
  }

  private failPending(reason: string): void {
    while (this.head < this.pending.length) this.answer(failed(this.pending[this.head]!.name, "unreadable", reason));
  }

  private parse(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      const body = this.body;
      if (body === undefined) {
        const end = chunk.indexOf(LF, pos);
        if (end < 0) {
          this.headerParts.push(chunk.subarray(pos));
          return;
        }
        let line: string;
        if (this.headerParts.length > 0) {
          this.headerParts.push(chunk.subarray(pos, end));
          line = Buffer.concat(this.headerParts).toString("latin1");
          this.headerParts = [];
        } else {
          line = chunk.toString("latin1", pos, end);
        }
        pos = end + 1;
        this.onHeader(line);
        continue;
      }
      const take = Math.min(body.remaining, chunk.length - pos);
      if (body.content !== null) {
        const copy = Math.min(take, body.size - body.filled);
        if (copy > 0) chunk.copy(body.content, body.filled, pos, pos + copy);
        body.filled += copy;
      }
      pos += take;
      body.remaining -= take;
      if (body.remaining === 0) {
        this.body = undefined;
        const request = this.pending[this.head]!;
        this.answer({
          name: request.name,
          oid: body.oid,
          type: body.type,
          size: body.size,
          content: body.content,
          outcome: body.content === null ? "too-large" : "found",
        });
      }
    }
  }

  private onHeader(line: string): void {
    const request = this.pending[this.head];
    if (request === undefined) return; // Nothing asked: ignore (cannot happen with a well-behaved git).
    const word = line.slice(line.lastIndexOf(" ") + 1);
    const parts = line.split(" ");
    if (word === "missing" || word === "ambiguous" || parts.length === 2) {
      this.answer(failed(request.name, "missing", word === "missing" ? "object not found" : `${word} object name`));
      return;
    }
    const size = Number(parts[2]);
    if (parts.length !== 3 || !Number.isSafeInteger(size) || size < 0) {
      // Not a header we understand: the stream is out of step. Start over with a new process.
      this.answer(failed(request.name, "unreadable", "unexpected git cat-file output"));
      this.child?.kill();
      return;
    }
    const keep = size <= this.maxSize;
    this.body = {
      oid: parts[0]!,
      type: parts[1]!,
      size,
      content: keep ? Buffer.allocUnsafe(size) : null,
      filled: 0,
      remaining: size + 1,
    };
  }

  private answer(object: CatFileObject): void {
    const request = this.pending[this.head]!;
    this.pending[this.head++] = undefined as unknown as Request;
    if (this.head > 4096 && this.head * 2 > this.pending.length) {
      this.pending.splice(0, this.head);
      this.head = 0;
    }
    if (object.outcome !== "unreadable" || object.reason !== "reader closed") this.answeredByChild++;
    if (request.held) this.hold(object);
    request.done(object);
  }

  private hold(object: CatFileObject): void {
    this.heldBytes += cost(object);
    if (!this.paused && this.heldBytes > this.readAhead && this.child) {
      this.paused = true;
      this.child.stdout.pause();
    }
  }

  private release(object: CatFileObject): void {
    this.heldBytes -= cost(object);
    if (this.paused && this.heldBytes <= this.readAhead / 2) {
      this.paused = false;
      this.child?.stdout.resume();
    }
  }
}

function cost(object: CatFileObject): number {
  return (object.content?.length ?? 0) + 128;
}

function failed(name: string, outcome: CatFileOutcome, reason: string): CatFileObject {
  return { name, oid: "", type: "", size: 0, content: null, outcome, reason };
}

function toAsync<T>(iterator: Iterator<T>): AsyncIterator<T> {
  return {
    next: () => Promise.resolve(iterator.next()),
    return: (value?: unknown) => Promise.resolve(iterator.return?.(value) ?? { done: true, value: undefined }),
  };
}
