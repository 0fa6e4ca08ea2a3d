import type { IncomingHttpHeaders } from 'node:http';
import { type BodyCheck, grouped } from './checks.js';

/**
 * The body of an id whose rule checks it, collected up to the rule's cap and inspected once at
 * its end. A body announced or grown past the cap is a mismatch at once: the caller aborts the
 * request, so nothing past the cap is ever buffered.
 */
export class BodyReader {
  readonly #check: BodyCheck;
  readonly #chunks: Buffer[] = [];
  #bytes = 0;
  /** Why the body failed, once known. */
  mismatch: string | undefined;

  constructor(check: BodyCheck) {
    this.#check = check;
  }

  /** False when Content-Length already says the body is over the cap. */
  start(headers: IncomingHttpHeaders): boolean {
    return this.#within(Number(headers['content-length'] ?? 0));
  }

  /** False once the body has passed the cap: the caller aborts the request. */
  add(chunk: Buffer): boolean {
    this.#bytes += chunk.length;
    if (!this.#within(this.#bytes)) return false;
    this.#chunks.push(chunk);
    return true;
  }

  /** Inspects the whole body once (unless it already failed); undefined when it passes. */
  end(id: number): string | undefined {
    if (this.mismatch !== undefined) return this.mismatch;
    const body = this.#chunks.length === 1 ? this.#chunks[0] : Buffer.concat(this.#chunks);
    this.#chunks.length = 0;
    try {
      this.mismatch = this.#check.inspect(body ?? Buffer.alloc(0), id);
    } catch {
      this.mismatch = 'the body check failed'; // inspect() is pure and should not throw
    }
    return this.mismatch;
  }

  #within(bytes: number): boolean {
    if (bytes <= this.#check.maxBodyBytes) return true;
    this.mismatch ??= `body over ${grouped(this.#check.maxBodyBytes)} bytes`;
    this.#chunks.length = 0;
    return false;
  }
}
