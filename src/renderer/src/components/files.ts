// Files in and out of the renderer without a server round trip: a picked file's text, and
// a download made from text. Both work the same in Electron and in browser mode.

/** The text of a picked file, refusing one larger than `maxBytes` before reading it. */
export async function readPickedFile(file: File, maxBytes: number): Promise<string> {
  if (file.size > maxBytes) throw new Error(`${file.name} is ${Math.ceil(file.size / 1024)} KiB; the limit is ${Math.floor(maxBytes / 1024)} KiB.`);
  return await file.text();
}

/** Saves `text` as a file named `fileName` (the browser's or Electron's save flow). */
export function downloadText(fileName: string, text: string, type = 'text/plain'): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has its own copy once it started.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
