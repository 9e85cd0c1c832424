// toPdf: an OfficialDocument (core/documents/official.ts) as a PDF file, rendered in a
// worker thread. pdfkit's subsetting of a Chinese font takes a second or two of CPU per
// document; on the data service's thread that stalled every other call (queries, pushes,
// the county link) meanwhile. One worker, started on the first document and ended after
// a minute without one, renders the documents in turn (pdf-render.ts); a worker that
// dies fails the documents it held with a message and the next document starts another.
//
// The worker's file: beside this one. Under tsx (tests, `npm run serve`, the web shell)
// that is pdf-worker.ts, loaded through tsx by pdf-worker-tsx.mjs; in the electron-vite build it is
// out/main/pdf-worker.js (an entry of its own in electron.vite.config.ts), next to the
// service bundle or one folder up from a shared chunk.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { OfficialDocument } from '../../../core/documents/official';
import { findCjkFonts, type CjkFonts } from './fonts';

export interface PdfRequest {
  id: number;
  doc: OfficialDocument;
  fonts: CjkFonts;
}
export type PdfReply = { id: number; ok: true; pdf: Uint8Array } | { id: number; ok: false; message: string };

/** A worker with nothing to do for this long ends (its fonts, tens of megabytes, freed). */
export const PDF_WORKER_IDLE_MS = 60_000;

interface Pending {
  resolve: (pdf: Buffer) => void;
  reject: (error: Error) => void;
}

/** Where the worker's code is: the built pdf-worker.js, or the sources through tsx (pdf-worker-tsx.mjs). */
function workerEntry(): URL {
  const here = import.meta.url;
  if (/\.ts$/.test(here)) return new URL('./pdf-worker-tsx.mjs', here);
  for (const rel of ['./pdf-worker.js', '../pdf-worker.js']) {
    const file = new URL(rel, here);
    if (existsSync(fileURLToPath(file))) return file;
  }
  throw new Error('找不到生成 PDF 的线程文件 pdf-worker.js(安装不完整,请重新构建或安装)');
}

class PdfThread {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private next = 1;
  private idle: NodeJS.Timeout | null = null;

  render(doc: OfficialDocument, fonts: CjkFonts): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      const worker = this.start();
      const id = this.next++;
      this.pending.set(id, { resolve, reject });
      if (this.idle) clearTimeout(this.idle);
      this.idle = null;
      worker.ref();
      worker.postMessage({ id, doc, fonts } satisfies PdfRequest);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(workerEntry(), { name: 'griddeck-pdf' });
    worker.on('message', (reply: PdfReply) => this.answer(reply));
    worker.on('error', (error) => this.fail(worker, `生成 PDF 的线程出错:${error.message}`));
    worker.on('exit', (code) => this.fail(worker, `生成 PDF 的线程意外退出(代码 ${code})`));
    this.worker = worker;
    return worker;
  }

  private answer(reply: PdfReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if (reply.ok) p.resolve(Buffer.from(reply.pdf.buffer, reply.pdf.byteOffset, reply.pdf.byteLength));
    else p.reject(new Error(reply.message));
    if (this.pending.size === 0) this.rest();
  }

  /** Nothing left to render: the process may exit without waiting for the worker, which ends after a while. */
  private rest(): void {
    const worker = this.worker;
    if (!worker) return;
    worker.unref();
    this.idle = setTimeout(() => {
      if (this.worker === worker && this.pending.size === 0) {
        this.worker = null;
        void worker.terminate();
      }
    }, PDF_WORKER_IDLE_MS);
    this.idle.unref();
  }

  /** The worker is gone (an error, or ended): what it held fails, the next document starts another. */
  private fail(worker: Worker, message: string): void {
    if (this.worker !== worker) return;
    this.worker = null;
    const held = [...this.pending.values()];
    this.pending.clear();
    for (const p of held) p.reject(new Error(message));
  }
}

const thread = new PdfThread();

/**
 * The document as a PDF file, rendered off this thread. `fonts` for tests; found on the
 * machine otherwise (a machine without a Chinese font: rejected with a message saying so).
 */
export function toPdf(doc: OfficialDocument, fonts?: CjkFonts): Promise<Buffer> {
  try {
    return thread.render(doc, fonts ?? findCjkFonts());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
