// The PDF worker thread's entry (started by pdf.ts): renders the documents it is sent,
// one at a time, and answers each with the file or the error's message. The fonts read
// stay in this thread's memory between documents (pdf-render.ts).
import { parentPort } from 'node:worker_threads';
import { renderPdf } from './pdf-render';
import type { PdfReply, PdfRequest } from './pdf';

const port = parentPort;
if (port === null) throw new Error('pdf-worker.ts runs as a worker thread (pdf.ts starts it)');

port.on('message', (request: PdfRequest) => {
  const reply = (r: PdfReply): void => port.postMessage(r);
  renderPdf(request.doc, request.fonts).then(
    (pdf) => reply({ id: request.id, ok: true, pdf }),
    (error: unknown) => reply({ id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) }),
  );
});
